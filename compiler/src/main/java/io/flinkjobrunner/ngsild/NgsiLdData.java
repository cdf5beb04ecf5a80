package io.flinkjobrunner.ngsild;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.rdf4j.model.Model;

/**
 * The result of mapping NGSI-LD entities: the {@code entities} and {@code attributes} rows (document order) and the
 * same data as RDF in NGSI-LD's shape ({@code entity --attr--> _:b [a ngsi-ld:Property; ngsi-ld:hasValue v; …]}),
 * with literals typed from the raw JSON tokens, so batch SHACL validation sees the datatypes the stream sees.
 *
 * @param warnings what the mapping accepted but a user should know (e.g. a datasetId that is not an IRI), each naming
 *     the entity and attribute
 * @param contexts the remote {@code @context} documents the mapping used (bundled, mapped or fetched), once each
 */
public record NgsiLdData(List<EntityRow> entities, List<AttributeRow> attributes, Model rdf, List<String> warnings,
        List<ContextDocument> contexts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public NgsiLdData {
        entities = List.copyOf(entities);
        attributes = List.copyOf(attributes);
        warnings = List.copyOf(warnings);
        contexts = List.copyOf(contexts);
    }

    /** Data without warnings and without remote contexts. */
    public NgsiLdData(List<EntityRow> entities, List<AttributeRow> attributes, Model rdf) {
        this(entities, attributes, rdf, List.of(), List.of());
    }

    /**
     * Only the entities of the given types: entity rows of other types are dropped, and attribute rows of entities
     * left without any row. The RDF model is kept as it is (it describes the document).
     */
    public NgsiLdData withEntityTypes(Set<String> types) {
        List<EntityRow> keptEntities = entities.stream().filter(row -> types.contains(row.type())).toList();
        Set<String> keptIds = new HashSet<>();
        keptEntities.forEach(row -> keptIds.add(row.id()));
        List<AttributeRow> keptAttributes = attributes.stream().filter(row -> keptIds.contains(row.entityId()))
                .toList();
        return new NgsiLdData(keptEntities, keptAttributes, rdf, warnings, contexts);
    }

    /**
     * The Kafka records of the rows: entity rows on {@link Topics#entities()}, attribute rows on
     * {@link Topics#attributes()}. Values are JSON objects whose field names are the column names ({@code 'format' =
     * 'json'}); the record timestamp is the row's {@code ts} ({@code ts TIMESTAMP(3) METADATA FROM 'timestamp'}); keys
     * are {@code {"id": …}} for entities and {@code {"id": …, "datasetId": …}} for attributes.
     */
    public List<TopicRecord> toTopicRecords(Topics topics) {
        List<TopicRecord> records = new ArrayList<>(entities.size() + attributes.size());
        for (EntityRow row : entities) {
            ObjectNode key = JSON.createObjectNode().put("id", row.id());
            ObjectNode value = JSON.createObjectNode().put("id", row.id()).put("type", row.type())
                    .put("deleted", row.deleted());
            records.add(new TopicRecord(topics.entities(), write(key), write(value), row.ts().toEpochMilli()));
        }
        for (AttributeRow row : attributes) {
            ObjectNode key = JSON.createObjectNode().put("id", row.id()).put("datasetId", row.datasetId());
            ObjectNode value = JSON.createObjectNode()
                    .put("id", row.id())
                    .put("parentId", row.parentId())
                    .put("entityId", row.entityId())
                    .put("name", row.name())
                    .put("nodeType", row.nodeType())
                    .put("valueType", row.valueType())
                    .put("type", row.type())
                    .put("attributeValue", row.attributeValue())
                    .put("datasetId", row.datasetId())
                    .put("unitCode", row.unitCode())
                    .put("lang", row.lang())
                    .put("deleted", row.deleted())
                    .put("synced", row.synced());
            records.add(new TopicRecord(topics.attributes(), write(key), write(value), row.ts().toEpochMilli()));
        }
        return records;
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a row as JSON", e);
        }
    }
}
