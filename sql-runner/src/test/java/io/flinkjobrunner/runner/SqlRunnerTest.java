package io.flinkjobrunner.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.junit.jupiter.api.Test;

class SqlRunnerTest {

    private static TableEnvironment newTableEnvironment() {
        return TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    }

    @Test
    void runsAStatementSetAsOneJobOnTheMiniCluster() throws Exception {
        SqlScript script = SqlScript.parse("""
                SET 'parallelism.default' = '1';
                SET 'pipeline.name' = 'runner; test';
                CREATE TEMPORARY VIEW src AS
                  SELECT * FROM (VALUES ('a;--b', 1), ('it''s /* not */ a comment', 2), ('END;', 3)) AS t(k, v);
                CREATE TEMPORARY TABLE first_sink (k STRING) WITH ('connector' = 'collecting', 'name' = 'first');
                CREATE TEMPORARY TABLE second_sink (k STRING) WITH ('connector' = 'collecting', 'name' = 'second');
                EXECUTE STATEMENT SET BEGIN
                  INSERT INTO first_sink SELECT k FROM src;
                  INSERT INTO second_sink SELECT k || '|' || CAST(v * 10 AS STRING) FROM src WHERE v > 1;
                END;
                """);
        TableEnvironment tableEnvironment = newTableEnvironment();

        SqlRunResult result = SqlRunner.run(tableEnvironment, script, RunOptions.AS_WRITTEN);

        assertEquals(1, result.jobs().size());
        result.jobs().get(0).getJobExecutionResult().get(2, TimeUnit.MINUTES);
        assertEquals(List.of("END;", "a;--b", "it's /* not */ a comment"),
                CollectingSinkFactory.collected("first").stream().sorted().toList());
        assertEquals(List.of("END;|30", "it's /* not */ a comment|20"),
                CollectingSinkFactory.collected("second").stream().sorted().toList());
        assertEquals("runner; test", tableEnvironment.getConfig().get(PipelineOptions.NAME));
    }

    @Test
    void resetRemovesWhatTheScriptSet() {
        TableEnvironment tableEnvironment = newTableEnvironment();

        SqlRunner.run(tableEnvironment, SqlScript.parse("SET 'pipeline.name' = 'x'; RESET 'pipeline.name';"),
                RunOptions.AS_WRITTEN);

        assertTrue(tableEnvironment.getConfig().getOptional(PipelineOptions.NAME).isEmpty());
    }

    @Test
    void namesTheFailingStatementAndFlinksCause() {
        SqlScript script = SqlScript.parse("""
                CREATE TEMPORARY VIEW ok AS SELECT 1 AS x;
                -- the broken one
                CREATE TEMPORARY VIEW broken AS
                  SELECT nope FROM ok;
                """);

        SqlRunException error = assertThrows(SqlRunException.class,
                () -> SqlRunner.run(newTableEnvironment(), script, RunOptions.AS_WRITTEN));

        assertEquals(2, error.statementNumber());
        assertEquals(3, error.line());
        assertTrue(error.getMessage().startsWith("statement 2 (line 3: CREATE TEMPORARY VIEW broken AS) failed: "),
                error.getMessage());
        assertTrue(error.getMessage().contains("Column 'nope' not found"), error.getMessage());
    }

    @Test
    void namesTheFailingInsertInsideAStatementSet() {
        SqlScript script = SqlScript.parse("""
                CREATE TEMPORARY TABLE sink (k STRING) WITH ('connector' = 'collecting', 'name' = 'unused');
                EXECUTE STATEMENT SET BEGIN
                  INSERT INTO sink SELECT 'fine';
                  INSERT INTO sink SELECT missing_column;
                END;
                """);

        SqlRunException error = assertThrows(SqlRunException.class,
                () -> SqlRunner.run(newTableEnvironment(), script, RunOptions.AS_WRITTEN));

        assertEquals(2, error.statementNumber());
        assertEquals(4, error.line());
        assertTrue(error.getMessage().contains("INSERT INTO sink SELECT missing_column"), error.getMessage());
        assertTrue(error.getMessage().contains("missing_column"), error.getMessage());
    }

    @Test
    void boundedRunRewritesKafkaTablesButNotTheScript() {
        String text = """
                CREATE TEMPORARY TABLE events (id STRING) WITH (
                  'connector' = 'kafka', 'topic' = 'events', 'properties.bootstrap.servers' = 'cluster:9092',
                  'scan.startup.mode' = 'latest-offset', 'format' = 'json');
                CREATE TABLE alerts (id STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (
                  'connector' = 'upsert-kafka', 'topic' = 'alerts', 'properties.bootstrap.servers' = 'cluster:9092',
                  'key.format' = 'json', 'value.format' = 'json');
                CREATE TEMPORARY TABLE other (id STRING) WITH ('connector' = 'datagen');
                CREATE TEMPORARY TABLE entities (id STRING) WITH (
                  'connector' = 'progress-kafka', 'topic' = 'entities', 'properties.bootstrap.servers' = 'c:9092',
                  'scan.startup.mode' = 'latest-offset', 'format' = 'json');
                CREATE TABLE rdf (id STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (
                  'connector' = 'progress-upsert-kafka', 'topic' = 'rdf', 'properties.bootstrap.servers' = 'c:9092',
                  'key.format' = 'json', 'value.format' = 'json');
                """;
        TableEnvironment tableEnvironment = newTableEnvironment();
        RunOptions options = RunOptions.AS_WRITTEN.withBoundedSources().withKafkaBootstrapServers("localhost:1234")
                .withTopicRenames(Map.of("events", "scenario1.events", "alerts", "scenario1.alerts"));

        SqlRunner.run(tableEnvironment, SqlScript.parse(text), options);

        Map<String, String> events = options(tableEnvironment, "events");
        assertEquals("latest-offset", events.get("scan.bounded.mode"));
        assertEquals("earliest-offset", events.get("scan.startup.mode"));
        assertEquals("localhost:1234", events.get("properties.bootstrap.servers"));
        assertEquals("scenario1.events", events.get("topic"));
        Map<String, String> alerts = options(tableEnvironment, "alerts");
        assertEquals("latest-offset", alerts.get("scan.bounded.mode"));
        assertEquals("localhost:1234", alerts.get("properties.bootstrap.servers"));
        assertEquals("scenario1.alerts", alerts.get("topic"));
        assertTrue(!alerts.containsKey("scan.startup.mode"));
        assertEquals(Map.of("connector", "datagen"), options(tableEnvironment, "other"));
        // the sources reporting their read progress are Kafka tables like the others
        Map<String, String> entities = options(tableEnvironment, "entities");
        assertEquals("earliest-offset", entities.get("scan.startup.mode"));
        assertEquals("latest-offset", entities.get("scan.bounded.mode"));
        assertEquals("localhost:1234", entities.get("properties.bootstrap.servers"));
        Map<String, String> rdf = options(tableEnvironment, "rdf");
        assertEquals("latest-offset", rdf.get("scan.bounded.mode"));
        assertTrue(!rdf.containsKey("scan.startup.mode"));
    }

    @Test
    void renamesEveryTopicOfATopicList() {
        TableEnvironment tableEnvironment = newTableEnvironment();

        SqlRunner.run(tableEnvironment, SqlScript.parse(
                "CREATE TEMPORARY TABLE events (id STRING) WITH ('connector' = 'kafka', 'topic' = 'a;b;c');"),
                RunOptions.AS_WRITTEN.withTopicRenames(Map.of("a", "x.a", "c", "x.c")));

        assertEquals("x.a;b;x.c", options(tableEnvironment, "events").get("topic"));
    }

    @Test
    void runAsWrittenLeavesKafkaTablesAlone() {
        TableEnvironment tableEnvironment = newTableEnvironment();

        SqlRunner.run(tableEnvironment, SqlScript.parse(
                "CREATE TEMPORARY TABLE events (id STRING) WITH ('connector' = 'kafka', 'topic' = 'e');"),
                RunOptions.AS_WRITTEN);

        assertEquals(Map.of("connector", "kafka", "topic", "e"), options(tableEnvironment, "events"));
    }

    private static Map<String, String> options(TableEnvironment tableEnvironment, String table) {
        CatalogManager catalogs = ((TableEnvironmentInternal) tableEnvironment).getCatalogManager();
        ObjectIdentifier identifier =
                ObjectIdentifier.of(catalogs.getCurrentCatalog(), catalogs.getCurrentDatabase(), table);
        return catalogs.getTable(identifier).orElseThrow().getResolvedTable().getOptions();
    }
}
