package io.flinkjobrunner.engine;

import io.flinkjobrunner.topics.TopicRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of a {@link SimulationRequest}: what the read-back topics hold after the bounded job finished. */
public final class Simulation {

    private final Map<String, List<TopicRecord>> records;
    private final Duration jobDuration;

    Simulation(Map<String, List<TopicRecord>> records, Duration jobDuration) {
        Map<String, List<TopicRecord>> copy = new LinkedHashMap<>();
        records.forEach((topic, list) -> copy.put(topic, List.copyOf(list)));
        this.records = Map.copyOf(copy);
        this.jobDuration = jobDuration;
    }

    /** Every record of {@code topic} in offset order (tombstones included). */
    public List<TopicRecord> records(String topic) {
        List<TopicRecord> list = records.get(topic);
        if (list == null) {
            throw new IllegalArgumentException("topic '" + topic + "' was not read back; read-back topics: "
                    + records.keySet());
        }
        return list;
    }

    /**
     * The upsert view of {@code topic}: the last value per key in offset order, keys whose last record is a tombstone
     * removed. Key and value are the records' JSON texts.
     *
     * @throws IllegalStateException if the topic holds a record without a key (not an upsert topic)
     */
    public Map<String, String> materialized(String topic) {
        Map<String, String> view = new LinkedHashMap<>();
        for (TopicRecord record : records(topic)) {
            if (record.key() == null) {
                throw new IllegalStateException("topic '" + topic + "' holds a record without a key; only upsert"
                        + " topics can be materialized");
            }
            if (record.value() == null) {
                view.remove(record.key());
            } else {
                view.remove(record.key());
                view.put(record.key(), record.value());
            }
        }
        return view;
    }

    /** Wall-clock time from submitting the job until it finished. */
    public Duration jobDuration() {
        return jobDuration;
    }
}
