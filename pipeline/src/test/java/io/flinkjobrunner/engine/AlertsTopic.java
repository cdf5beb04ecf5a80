package io.flinkjobrunner.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.topics.TopicRecord;
import java.time.Duration;
import java.util.List;

/** Reads an alerts topic of the local engine as the engine tests check it. */
final class AlertsTopic {

    private AlertsTopic() {
    }

    /** Every record of {@code topic} up to the first about {@code resource}, which must arrive within {@code wait}. */
    static List<TopicRecord> upTo(LocalEngine engine, String topic, String resource, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<TopicRecord> records = engine.read(topic);
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).key().contains("\"" + resource + "\"")) {
                    return records.subList(0, i + 1);
                }
            }
            assertTrue(System.nanoTime() < deadline, "no alert for " + resource + " within " + wait + ": " + records);
            Thread.sleep(50);
        }
    }

    /** An alert record as its key and whether it raised or cleared the alert. */
    static String describe(TopicRecord record) {
        return record.key() + (record.value() == null ? " cleared" : " raised");
    }
}
