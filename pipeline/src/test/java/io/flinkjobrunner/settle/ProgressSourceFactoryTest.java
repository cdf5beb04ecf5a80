package io.flinkjobrunner.settle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.planner.PlannerCheck;
import io.flinkjobrunner.topics.Topics;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;
import org.junit.jupiter.api.Test;

/** The sources that report their read progress, as the compiled unit declares them, and their refusals. */
class ProgressSourceFactoryTest {

    private static String connectorOf(String script, String table) {
        String ddl = script.lines().dropWhile(l -> !l.startsWith("CREATE TABLE `" + table + "`"))
                .takeWhile(l -> !l.endsWith(";")).reduce("", String::concat);
        int at = ddl.indexOf("'connector' = '");
        return ddl.substring(at + 15, ddl.indexOf('\'', at + 15));
    }

    @Test
    void aSettledUnitReadsEveryTableThroughAProgressSourceAndSaysHowOften() throws Exception {
        Path kms = Path.of("../work/kms");
        Model knowledge = Rio.parse(new StringReader(Files.readString(kms.resolve("knowledge.ttl"))), "",
                RDFFormat.TURTLE);
        Model shapes = Rio.parse(new StringReader(Files.readString(kms.resolve("shacl.ttl"))), "", RDFFormat.TURTLE);
        CompileOptions options = new CompileOptions(Topics.defaults("s"), "kafka:9092", TableNames.reference());

        String settled = PlannerCheck.compile(knowledge, shapes, options).script();
        for (String source : List.of("entities", "attributes")) {
            assertEquals("progress-kafka", connectorOf(settled, source), source);
        }
        for (String source : List.of("rdf", "constraint_table", "constraint_combination_table")) {
            assertEquals("progress-upsert-kafka", connectorOf(settled, source), source);
        }
        assertEquals("upsert-kafka", connectorOf(settled, "attributes_insert"), "written by rules, not read");
        assertTrue(settled.contains("SET 'pipeline.auto-watermark-interval' = '5 ms';"), settled);

        String slower = PlannerCheck.compile(knowledge, shapes, options.withSettleWindow(Duration.ofSeconds(2)))
                .script();
        assertTrue(slower.contains("SET 'pipeline.auto-watermark-interval' = '50 ms';"), "at most 50 ms");

        DeploymentUnit unsettled = PlannerCheck.compile(knowledge, shapes, options.withSettleWindow(Duration.ZERO));
        assertEquals("kafka", connectorOf(unsettled.script(), "entities"));
        assertEquals("upsert-kafka", connectorOf(unsettled.script(), "rdf"));
        assertTrue(!unsettled.script().contains("progress-") && !unsettled.script().contains("auto-watermark"),
                "the reference's plain connectors without a settle window");
    }

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
