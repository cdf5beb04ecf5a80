package io.flinkjobrunner.settle;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.junit.jupiter.api.Test;

/**
 * The sources that report their read progress, planned as Kafka's, and their refusals (the compiled unit's use of them:
 * {@link SettledUpsertKafkaFactoryTest}).
 */
class ProgressSourceFactoryTest {

    private static String explain(String connector, String extraOption) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.executeSql("CREATE TABLE `entities` (`id` STRING, `ts` TIMESTAMP(3) METADATA FROM 'timestamp') WITH ("
                + "'connector' = '" + connector + "', 'topic' = 'entities', 'properties.bootstrap.servers' = "
                + "'kafka:9092', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json'" + extraOption + ")");
        return env.explainSql("SELECT `id`, `ts` FROM `entities`");
    }

    /** The messages of an exception and its causes. */
    private static String messages(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            messages.append(cause.getMessage()).append(' ');
        }
        return messages.toString();
    }

    @Test
    void plansLikeKafkaWithItsMetadataColumns() {
        String plan = explain("progress-kafka", "");
        assertTrue(plan.contains("entities") && plan.contains("timestamp"), plan);
    }

    @Test
    void kafkaStillValidatesItsOwnOptions() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> explain("progress-kafka", ", 'no.such.option' = 'x'"));
        assertTrue(messages(e).contains("no.such.option"), messages(e));
    }

    @Test
    void isASourceOnly() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.executeSql("CREATE TABLE `out` (`id` STRING) WITH ('connector' = 'progress-kafka', 'topic' = 'out', "
                + "'properties.bootstrap.servers' = 'kafka:9092', 'format' = 'json')");
        ValidationException e = assertThrows(ValidationException.class,
                () -> env.explainSql("INSERT INTO `out` SELECT 'x'"));
        assertTrue(messages(e).contains("progress-kafka"), messages(e));
    }
}
