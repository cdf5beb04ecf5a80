package io.flinkjobrunner.service.semantic;

import io.flinkjobrunner.topics.TopicRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * What turns one version of a semantic table into another: rows to upsert (new keys and changed rows) and keys to
 * delete (tombstones on the compacted topic). Pure.
 *
 * @param table table name
 * @param upserts rows of the new version whose key is new or whose row changed, in table order
 * @param deletions rows of the old version whose key is gone (their keys become tombstones)
 */
public record SemanticDelta(String table, List<SemanticRows.Row> upserts, List<SemanticRows.Row> deletions) {

    public SemanticDelta {
        upserts = List.copyOf(upserts);
        deletions = List.copyOf(deletions);
    }

    /** The delta from {@code from} to {@code to}, compared by key and row JSON. */
    public static SemanticDelta between(SemanticRows from, SemanticRows to) {
        List<SemanticRows.Row> upserts = new ArrayList<>();
        for (SemanticRows.Row row : to.rows().values()) {
            SemanticRows.Row before = from.rows().get(row.key());
            if (before == null || !before.value().equals(row.value())) {
                upserts.add(row);
            }
        }
        List<SemanticRows.Row> deletions = new ArrayList<>();
        for (SemanticRows.Row row : from.rows().values()) {
            if (!to.rows().containsKey(row.key())) {
                deletions.add(row);
            }
        }
        return new SemanticDelta(to.layout().table(), upserts, deletions);
    }

    /** True when nothing changes. */
    public boolean isEmpty() {
        return upserts.isEmpty() && deletions.isEmpty();
    }

    /** The delta as records of a compacted topic: the upserts, then a tombstone (null value) per deleted key. */
    public List<TopicRecord> records(String topic) {
        List<TopicRecord> records = new ArrayList<>(upserts.size() + deletions.size());
        upserts.forEach(row -> records.add(new TopicRecord(topic, row.key(), row.value(), null)));
        deletions.forEach(row -> records.add(new TopicRecord(topic, row.key(), null, null)));
        return records;
    }

    @Override
    public String toString() {
        return table + ": " + upserts.size() + " upserted, " + deletions.size() + " deleted";
    }
}
