package io.flinkjobrunner.service.semantic;

import java.util.List;

/**
 * What {@link SemanticDataService#replace} changed, and how to take it back.
 *
 * @param deltas per table: what was published (upserts and tombstones; every row for a fresh topic)
 * @param undo restores the previous rows in PostgreSQL and publishes the inverse delta; throws
 *     {@link IllegalStateException} with the reason if that fails
 */
public record SemanticDataChange(List<SemanticDelta> deltas, Runnable undo) {

    public SemanticDataChange {
        deltas = List.copyOf(deltas);
    }

    /** One line for the job log, e.g. {@code rdf: 12 upserted, 0 deleted; constraint_table: …}. */
    public String summary() {
        return String.join("; ", deltas.stream().map(SemanticDelta::toString).toList());
    }
}
