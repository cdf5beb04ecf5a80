package io.flinkjobrunner.ngsild;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One row of the {@code attributes} table (shacl2flink's {@code create_ngsild_tables.py}; docs/architecture.md): one value of one attribute instance.
 *
 * @param id {@code <entityId>\<name>\<datasetId>}; a sub-attribute appends {@code \<name>\<datasetId>} to its
 *     parent's id
 * @param parentId id of the parent attribute, null at the top level
 * @param entityId id of the entity (also for sub-attributes)
 * @param name expanded attribute IRI
 * @param nodeType {@code @id} (IRI or relationship object), {@code @value}, {@code @list} or {@code @json}
 * @param valueType datatype IRI of a literal value; null for IRIs and lists
 * @param type expanded NGSI-LD attribute type ({@code https://uri.etsi.org/ngsi-ld/Property}, ...)
 * @param attributeValue the value as the reference printed it (see {@code PythonLiterals})
 * @param datasetId datasetId IRI, or {@code @none}
 * @param unitCode unit code or null
 * @param lang language tag of a language-tagged string, else null
 * @param deleted null (the reference never sets it)
 * @param synced null (the reference never sets it)
 * @param ts record timestamp: {@code observedAt}, else the ingestion clock
 */
public record AttributeRow(
        String id,
        String parentId,
        String entityId,
        String name,
        String nodeType,
        String valueType,
        String type,
        String attributeValue,
        String datasetId,
        String unitCode,
        String lang,
        Boolean deleted,
        Boolean synced,
        Instant ts) {

    /** JSON field names of the Kafka value, in column order ({@code ts} travels as the record timestamp). */
    public static final List<String> COLUMNS = List.of("id", "parentId", "entityId", "name", "nodeType", "valueType",
            "type", "attributeValue", "datasetId", "unitCode", "lang", "deleted", "synced");

    public AttributeRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nodeType, "nodeType");
        Objects.requireNonNull(datasetId, "datasetId");
        Objects.requireNonNull(ts, "ts");
    }
}
