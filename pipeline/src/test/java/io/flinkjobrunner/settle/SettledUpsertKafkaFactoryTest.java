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

/**
 * The {@code settled-upsert-kafka} connector and the progress sources feeding it, as the compiled unit declares them,
 * and the sink's refusals.
 */
class SettledUpsertKafkaFactoryTest {

    private static String table(String key, String window) {
        return "CREATE TABLE `alerts` (`resource` STRING, `event` STRING, `severity` STRING" + key + ") WITH ("
                + "'connector' = 'settled-upsert-kafka', " + window + "'topic' = 'alerts', "
                + "'properties.bootstrap.servers' = 'kafka:9092', 'key.format' = 'json', 'value.format' = 'json')";
    }

    private static String explain(String ddl) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.executeSql(ddl);
        return env.explainSql("INSERT INTO `alerts` SELECT 'r', 'e', 's'");
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void theUnitDeclaresTheSettledSinkForAlertsOnly() throws Exception {
        Path kms = Path.of("../work/kms");
        Model knowledge = Rio.parse(new StringReader(Files.readString(kms.resolve("knowledge.ttl"))), "",
                RDFFormat.TURTLE);
        Model shapes = Rio.parse(new StringReader(Files.readString(kms.resolve("shacl.ttl"))), "", RDFFormat.TURTLE);
        CompileOptions options = new CompileOptions(Topics.defaults("s"), "kafka:9092", TableNames.reference());
        DeploymentUnit unit = PlannerCheck.compile(knowledge, shapes, options);
        String alerts = unit.script().lines().dropWhile(l -> !l.startsWith("CREATE TABLE `alerts_bulk`"))
                .takeWhile(l -> !l.endsWith(";")).reduce("", String::concat);
        assertTrue(alerts.contains("'connector' = 'settled-upsert-kafka'"), alerts);
        assertTrue(alerts.contains("'settle.window' = '50 ms'"), alerts);
        assertEquals(1, unit.script().split("settled-upsert-kafka", -1).length - 1, "only the alerts are settled");

        // every table the checks read is a source reporting its read progress, this often
        for (String source : List.of("entities", "attributes")) {
            assertEquals("progress-kafka", connectorOf(unit.script(), source), source);
        }
        for (String source : List.of("rdf", "constraint_table", "constraint_combination_table")) {
            assertEquals("progress-upsert-kafka", connectorOf(unit.script(), source), source);
        }
        assertEquals("upsert-kafka", connectorOf(unit.script(), "attributes_insert"), "written by rules, not read");
        assertTrue(unit.script().contains("SET 'pipeline.auto-watermark-interval' = '5 ms';"), unit.script());

        DeploymentUnit slower = PlannerCheck.compile(knowledge, shapes,
                options.withSettleWindow(Duration.ofSeconds(2)));
        assertTrue(slower.script().contains("'settle.window' = '2000 ms'"), slower.script());
        assertTrue(slower.script().contains("SET 'pipeline.auto-watermark-interval' = '50 ms';"), "at most 50 ms");
        DeploymentUnit unsettled = PlannerCheck.compile(knowledge, shapes, options.withSettleWindow(Duration.ZERO));
        assertTrue(!unsettled.script().contains("settled-upsert-kafka") && !unsettled.script().contains("settle.window"),
                unsettled.script());
        assertEquals("kafka", connectorOf(unsettled.script(), "entities"));
        assertEquals("upsert-kafka", connectorOf(unsettled.script(), "rdf"));
        assertTrue(!unsettled.script().contains("progress-") && !unsettled.script().contains("auto-watermark"),
                "the reference's plain connectors without a settle window");
    }

    private static String connectorOf(String script, String table) {
        String ddl = script.lines().dropWhile(l -> !l.startsWith("CREATE TABLE `" + table + "`"))
                .takeWhile(l -> !l.endsWith(";")).reduce("", String::concat);
        int at = ddl.indexOf("'connector' = '");
        return ddl.substring(at + 15, ddl.indexOf('\'', at + 15));
    }

    @Test
    void plansTheSettleStageInFrontOfUpsertKafka() {
        String plan = explain(table(", PRIMARY KEY (`resource`, `event`) NOT ENFORCED", "'settle.window' = '5 s', "));
        assertTrue(plan.contains("alerts"), plan);
    }

    @Test
    void refusesAWindowThatIsNoDurationOrZero() {
        for (String window : List.of("soon", "0 ms")) {
            ValidationException e = assertThrows(ValidationException.class, () -> explain(table(
                    ", PRIMARY KEY (`resource`, `event`) NOT ENFORCED", "'settle.window' = '" + window + "', ")));
            String message = rootCause(e).getMessage();
            assertTrue(message.contains("settle.window") && message.contains(window)
                    && message.contains("settled-upsert-kafka"), message);
        }
    }

    @Test
    void refusesATableWithoutPrimaryKey() {
        ValidationException e = assertThrows(ValidationException.class, () -> explain(table("", "")));
        assertTrue(rootCause(e).getMessage().contains("needs a PRIMARY KEY"), rootCause(e).getMessage());
    }

    @Test
    void upsertKafkaStillValidatesItsOwnOptions() {
        ValidationException e = assertThrows(ValidationException.class, () -> explain(table(
                ", PRIMARY KEY (`resource`, `event`) NOT ENFORCED", "'no.such.option' = 'x', ")));
        String message = e.getMessage() + " " + rootCause(e).getMessage();
        assertTrue(message.contains("no.such.option"), message);
    }
}
