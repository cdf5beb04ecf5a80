package io.flinkjobrunner.authoring;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;

import org.eclipse.rdf4j.model.IRI;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdException;
import io.flinkjobrunner.ngsild.NgsiLdMapper;

/**
 * The NGSI-LD side of authoring: the expanded type of the caller's entity, and the scenario entities built from it.
 *
 * <p>The reference set the scenario value as {@code {"value": v}} under the attribute IRI, which only meant
 * {@code ngsi-ld:hasValue} if the caller's {@code @context} defined {@code value}; without one the scenarios never
 * triggered. Here every scenario attribute is a normalized NGSI-LD Property and the NGSI-LD core context always
 * applies, and nothing is fetched: a remote {@code @context} must be available offline.
 */
final class AlertEntities {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCENARIO_ID = "urn:fjr:alert-test:scenario-";
    private static final String PLACEHOLDER_ID = "urn:fjr:alert-test:entity";

    private final NgsiLdMapper mapper;

    AlertEntities(NgsiLdMapper mapper) {
        this.mapper = mapper;
    }

    /** The id of the scenario entity at {@code index} (0-based). */
    static String scenarioId(int index) {
        return SCENARIO_ID + (index + 1);
    }

    /**
     * The expanded type IRI of {@code entity}, or {@code if:Asset} (the reference's default) when there is no entity
     * or it has no type.
     */
    String type(JsonNode entity) throws AuthoringException {
        if (entity == null || entity.isNull() || entity.isMissingNode()) {
            return AlertShapeGenerator.IFF + "Asset";
        }
        ObjectNode object = requireObject(entity);
        JsonNode type = object.has("type") ? object.get("type") : object.get("@type");
        if (type == null || type.isNull()) {
            return AlertShapeGenerator.IFF + "Asset";
        }
        ObjectNode minimal = JSON.createObjectNode();
        if (object.has("@context")) {
            minimal.set("@context", object.get("@context"));
        }
        minimal.put("id", PLACEHOLDER_ID);
        minimal.set("type", type);
        return map(minimal, Instant.EPOCH).entities().get(0).type();
    }

    /**
     * One entity per scenario: a copy of {@code base} (or a bare entity of {@code type}) with its own id and the
     * sensor attribute replaced by a Property holding the scenario's value.
     */
    NgsiLdData scenarios(JsonNode base, String type, IRI sensor, List<AlertScenario> scenarios, Instant now)
            throws AuthoringException {
        ObjectNode template;
        if (base == null || base.isNull() || base.isMissingNode()) {
            template = JSON.createObjectNode();
            template.put("type", type);
        } else {
            template = requireObject(base).deepCopy();
        }
        template.remove("@id");
        String local = sensor.getLocalName();
        Iterator<String> keys = template.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (key.equals(sensor.stringValue()) || key.equals(local) || key.endsWith(":" + local)) {
                keys.remove();
            }
        }
        ArrayNode entities = JSON.createArrayNode();
        for (int i = 0; i < scenarios.size(); i++) {
            ObjectNode entity = template.deepCopy();
            entity.put("id", scenarioId(i));
            ObjectNode attribute = entity.putObject(sensor.stringValue());
            attribute.put("type", "Property");
            attribute.put("value", scenarios.get(i).value());
            entities.add(entity);
        }
        return map(entities, now);
    }

    private NgsiLdData map(JsonNode document, Instant now) throws AuthoringException {
        try {
            return mapper.map(document.toString(), "jsonld_data", IngestionClock.sequence(now));
        } catch (NgsiLdException e) {
            throw new AuthoringException(AuthoringException.Reason.INVALID_DATA, e.getMessage(), e);
        }
    }

    private static ObjectNode requireObject(JsonNode entity) throws AuthoringException {
        if (!(entity instanceof ObjectNode object)) {
            throw new AuthoringException(AuthoringException.Reason.INVALID_DATA,
                    "jsonld_data must be one NGSI-LD entity (a JSON object), not " + entity.getNodeType()
                            .name().toLowerCase(java.util.Locale.ROOT));
        }
        return object;
    }
}
