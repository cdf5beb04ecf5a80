package io.flinkjobrunner.ngsild;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One row of the {@code entities} table (shacl2flink's {@code create_ngsild_tables.py}; docs/architecture.md): an entity id with one of its types.
 *
 * @param id entity id (absolute IRI)
 * @param type expanded type IRI
 * @param deleted {@code true} for a deletion marker; null for a live entity (as in the reference)
 * @param ts record timestamp (Kafka record timestamp, column {@code ts})
 */
public record EntityRow(String id, String type, Boolean deleted, Instant ts) {

    /** JSON field names of the Kafka value, in column order ({@code ts} travels as the record timestamp). */
    public static final List<String> COLUMNS = List.of("id", "type", "deleted");

    public EntityRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ts, "ts");
    }
}
