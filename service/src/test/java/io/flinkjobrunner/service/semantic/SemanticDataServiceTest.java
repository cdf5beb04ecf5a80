package io.flinkjobrunner.service.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.compiler.SemanticTable;
import io.flinkjobrunner.compiler.SemanticTable.Column;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.service.testing.LocalKafkaResource;
import io.flinkjobrunner.topics.TopicPublisher;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The semantic data in embedded PostgreSQL and on the in-process KRaft broker of the local engine. */
class SemanticDataServiceTest {

    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;
    private static LocalEngine broker;
    private static SemanticDataService service;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        broker = LocalEngine.start();
        service = new SemanticDataService(dataSource);
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
        postgres.close();
    }

    /** A fresh deployment name with its topics created on the broker. */
    private static String deployment() {
        String name = "sem-" + DEPLOYMENTS.incrementAndGet();
        Topics topics = Topics.defaults(name);
        broker.createTopics(List.of(topics.rdf(), topics.constraints(), topics.combinations()));
        return name;
    }

    private static SemanticTable rdf(Object[]... rows) {
        return new SemanticTable("rdf", List.of(new Column("subject", "STRING"), new Column("predicate", "STRING"),
                new Column("object", "STRING"), new Column("index", "INT")), List.of("subject", "predicate", "index"),
                Arrays.stream(rows).map(row -> Arrays.asList(row)).toList());
    }

    private static SemanticTable constraints(Object[]... rows) {
        return new SemanticTable("constraint_table", List.of(new Column("id", "INT"),
                new Column("targetClass", "STRING"), new Column("maxCount", "STRING")), List.of("id"),
                Arrays.stream(rows).map(row -> Arrays.asList(row)).toList());
    }

    private static SemanticTable combinations(Object[]... rows) {
        return new SemanticTable("constraint_combination_table", List.of(new Column("member_constraint_id", "INT"),
                new Column("operation", "STRING"), new Column("target_constraint_id", "INT"),
                new Column("level", "INT")), List.of("member_constraint_id", "target_constraint_id"),
                Arrays.stream(rows).map(row -> Arrays.asList(row)).toList());
    }

    private static List<SemanticTable> version1() {
        return List.of(
                rdf(new Object[] {"urn:a", "rdfs:subClassOf", "urn:b", 0},
                        new Object[] {"urn:b", "rdfs:subClassOf", "urn:c", 0},
                        new Object[] {"urn:x", "rdfs:label", "it's \"quoted\"; DROP TABLE rdf; -- \u00e4", 1}),
                constraints(new Object[] {0, "urn:Pump", "1"}, new Object[] {1, "urn:Pump", null}),
                combinations(new Object[] {0, "OR", 2, 1}));
    }

    private static List<SemanticTable> version2() {
        return List.of(
                rdf(new Object[] {"urn:a", "rdfs:subClassOf", "urn:b", 0},
                        new Object[] {"urn:x", "rdfs:label", "renamed", 1},
                        new Object[] {"urn:d", "rdfs:subClassOf", "urn:c", 0}),
                constraints(new Object[] {0, "urn:Pump", "1"}, new Object[] {1, "urn:Pump", null}),
                combinations());
    }

    private static SemanticDataChange replace(String deployment, List<SemanticTable> tables) throws Exception {
        return service.replace(deployment, tables, Topics.defaults(deployment), Set.of(), broker::publish);
    }

    private static Map<String, String> materialized(String topic) {
        return LocalKafkaResource.materialized(broker, topic);
    }

    private static Map<String, String> expected(SemanticTable table) {
        Map<String, String> out = new LinkedHashMap<>();
        table.records("t").forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    private static List<List<Object>> rows(String deployment, String table) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM \"" + SemanticDataRepository.schema(deployment) + "\".\""
                     + table + "\" ORDER BY 1, 2")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void firstReplaceStoresEveryRowInOneSchemaAndPublishesThem() throws Exception {
        String deployment = deployment();
        SemanticDataChange change = replace(deployment, version1());
        assertEquals("rdf: 3 upserted, 0 deleted; constraint_table: 2 upserted, 0 deleted; "
                + "constraint_combination_table: 1 upserted, 0 deleted", change.summary());
        Topics topics = Topics.defaults(deployment);
        assertEquals(expected(version1().get(0)), materialized(topics.rdf()));
        assertEquals(expected(version1().get(1)), materialized(topics.constraints()));
        assertEquals(expected(version1().get(2)), materialized(topics.combinations()));
        assertEquals(List.of(List.of("urn:a", "rdfs:subClassOf", "urn:b", 0),
                List.of("urn:b", "rdfs:subClassOf", "urn:c", 0),
                List.of("urn:x", "rdfs:label", "it's \"quoted\"; DROP TABLE rdf; -- \u00e4", 1)),
                rows(deployment, "rdf"));
        assertEquals(Arrays.asList(1, "urn:Pump", null), rows(deployment, "constraint_table").get(1));
        assertEquals("{\"subject\":\"urn:a\",\"predicate\":\"rdfs:subClassOf\",\"index\":0}",
                broker.read(topics.rdf()).get(0).key());
    }

    @Test
    void replacingWithTheSameRowsWritesAndPublishesNothing() throws Exception {
        String deployment = deployment();
        replace(deployment, version1());
        int records = broker.read(Topics.defaults(deployment).rdf()).size();
        SemanticDataChange again = replace(deployment, version1());
        assertTrue(again.deltas().stream().allMatch(SemanticDelta::isEmpty), again.summary());
        assertEquals(records, broker.read(Topics.defaults(deployment).rdf()).size());
    }

    @Test
    void aNewVersionPublishesChangedRowsAndTombstonesForRemovedKeys() throws Exception {
        String deployment = deployment();
        Topics topics = Topics.defaults(deployment);
        replace(deployment, version1());
        int before = broker.read(topics.rdf()).size();
        SemanticDataChange change = replace(deployment, version2());
        assertEquals("rdf: 2 upserted, 1 deleted; constraint_table: 0 upserted, 0 deleted; "
                + "constraint_combination_table: 0 upserted, 1 deleted", change.summary());
        List<TopicRecord> appended = broker.read(topics.rdf()).subList(before, before + 3);
        assertEquals("{\"subject\":\"urn:b\",\"predicate\":\"rdfs:subClassOf\",\"index\":0}", appended.get(2).key());
        assertEquals(null, appended.get(2).value());
        assertEquals(expected(version2().get(0)), materialized(topics.rdf()));
        assertEquals(Map.of(), materialized(topics.combinations()));
        assertEquals(List.of(List.of("urn:a", "rdfs:subClassOf", "urn:b", 0),
                List.of("urn:d", "rdfs:subClassOf", "urn:c", 0), List.of("urn:x", "rdfs:label", "renamed", 1)),
                rows(deployment, "rdf"));
        assertEquals(List.of(), rows(deployment, "constraint_combination_table"));
    }

    @Test
    void undoRestoresThePreviousVersionInPostgresqlAndOnTheTopics() throws Exception {
        String deployment = deployment();
        Topics topics = Topics.defaults(deployment);
        replace(deployment, version1());
        List<List<Object>> storedV1 = rows(deployment, "rdf");
        SemanticDataChange change = replace(deployment, version2());
        change.undo().run();
        assertEquals(storedV1, rows(deployment, "rdf"));
        assertEquals(expected(version1().get(0)), materialized(topics.rdf()));
        assertEquals(expected(version1().get(2)), materialized(topics.combinations()));
    }

    @Test
    void undoOfAFirstDeployLeavesNoTables() throws Exception {
        String deployment = deployment();
        replace(deployment, version1()).undo().run();
        for (String table : List.of("rdf", "constraint_table", "constraint_combination_table")) {
            assertTrue(service.stored(deployment, table).isEmpty(), table);
        }
        assertEquals(Map.of(), materialized(Topics.defaults(deployment).rdf()));
    }

    @Test
    void aFailedPublishRollsPostgresqlBackAndRepublishesThePreviousRows() throws Exception {
        String deployment = deployment();
        Topics topics = Topics.defaults(deployment);
        replace(deployment, version1());
        List<List<Object>> storedV1 = rows(deployment, "rdf");
        AtomicInteger calls = new AtomicInteger();
        TopicPublisher halfway = records -> {
            if (calls.incrementAndGet() == 1) {
                broker.publish(records.subList(0, 2));
                throw new IllegalStateException("broker went away");
            }
            broker.publish(records);
        };
        SemanticDataException failure = assertThrows(SemanticDataException.class, () -> service.replace(
                deployment, version2(), topics, Set.of(), halfway));
        assertTrue(failure.getMessage().contains("broker went away"), failure.getMessage());
        assertTrue(failure.getMessage().contains("PostgreSQL keeps the previous rows; the previous rows were "
                + "republished to the topics"), failure.getMessage());
        assertEquals(storedV1, rows(deployment, "rdf"));
        assertEquals(expected(version1().get(0)), materialized(topics.rdf()));
    }

    @Test
    void aDatabaseFailurePublishesNothing() throws Exception {
        String deployment = deployment();
        List<TopicRecord> published = new ArrayList<>();
        SemanticTable unsupported = new SemanticTable("rdf", List.of(new Column("subject", "DOUBLE")),
                List.of("subject"), List.of(List.of(1.5)));
        SemanticDataException failure = assertThrows(SemanticDataException.class, () -> service.replace(
                deployment, List.of(unsupported), Topics.defaults(deployment), Set.of(), published::addAll));
        assertTrue(failure.getMessage().contains("nothing was published"), failure.getMessage());
        assertEquals(List.of(), published);
    }

    @Test
    void freshTopicsReceiveEveryRow() throws Exception {
        String deployment = deployment();
        Topics topics = Topics.defaults(deployment);
        replace(deployment, version1());
        List<TopicRecord> published = new ArrayList<>();
        SemanticDataChange change = service.replace(deployment, version1(), topics, Set.of(topics.rdf()),
                published::addAll);
        assertEquals("rdf: 3 upserted, 0 deleted; constraint_table: 0 upserted, 0 deleted; "
                + "constraint_combination_table: 0 upserted, 0 deleted", change.summary());
        assertEquals(3, published.size());
    }

    @Test
    void aChangedLayoutRecreatesTheTableAndTombstonesTheOldKeys() throws Exception {
        String deployment = deployment();
        Topics topics = Topics.defaults(deployment);
        SemanticTable old = new SemanticTable("constraint_table", List.of(new Column("id", "INT"),
                new Column("severity", "STRING")), List.of("id"), List.of(List.of(0, "warning"), List.of(7, "x")));
        service.replace(deployment, List.of(old), topics, Set.of(), broker::publish);
        SemanticTable now = constraints(new Object[] {0, "urn:Pump", "1"});
        SemanticDataChange change = service.replace(deployment, List.of(now), topics, Set.of(), broker::publish);
        assertEquals("constraint_table: 1 upserted, 1 deleted", change.summary());
        assertEquals(expected(now), materialized(topics.constraints()));
        assertEquals(SemanticRows.Layout.of(now), service.stored(deployment, "constraint_table").orElseThrow()
                .layout());
        change.undo().run();
        assertEquals(SemanticRows.Layout.of(old), service.stored(deployment, "constraint_table").orElseThrow()
                .layout());
        assertEquals(expected(old), materialized(topics.constraints()));
    }

    @Test
    void dropRemovesTheDeploymentsSchemaOnly() throws Exception {
        String kept = deployment();
        String dropped = deployment();
        replace(kept, version1());
        replace(dropped, version1());
        service.drop(dropped);
        assertTrue(service.stored(dropped, "rdf").isEmpty());
        assertEquals(3, service.stored(kept, "rdf").orElseThrow().rows().size());
    }

    @Test
    void schemaNamesAreInjectiveAndFitPostgresIdentifiers() {
        assertEquals("fjr_shacl_prod", SemanticDataRepository.schema("shacl-prod"));
        String longName = "a".repeat(63);
        String schema = SemanticDataRepository.schema(longName);
        assertEquals(63, schema.length());
        assertFalse(schema.equals(SemanticDataRepository.schema("a".repeat(62) + "b")));
        assertThrows(IllegalArgumentException.class, () -> SemanticDataRepository.schema("Robert'); DROP"));
    }
}
