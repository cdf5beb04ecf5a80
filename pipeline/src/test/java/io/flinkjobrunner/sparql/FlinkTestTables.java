package io.flinkjobrunner.sparql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import io.flinkjobrunner.udf.HashFunction;
import io.flinkjobrunner.udf.StateTimeFunction;

/**
 * Test fixture: the NGSI-LD and knowledge tables of REFERENCE-SHACL2FLINK.md §2.2-2.5 as bounded views over
 * literal rows in a streaming TableEnvironment, so the compiled statements run on the real planner and runtime.
 */
final class FlinkTestTables {

    /** An entity row. */
    record Entity(String id, String type, long ts) {
    }

    /** An attribute row (top level), with observedAt as epoch ms (the Kafka record timestamp). */
    record Attribute(String entityId, String name, String nodeType, String valueType, String type, String value,
            String datasetId, long ts) {
    }

    /** A knowledge row in the rdf-table encoding. */
    record Triple(String subject, String predicate, String object) {
    }

    private final List<Entity> entities = new ArrayList<>();
    private final List<Attribute> attributes = new ArrayList<>();
    private final List<Triple> triples = new ArrayList<>();

    FlinkTestTables entity(String id, String type) {
        entities.add(new Entity(id, type, 1_000L));
        return this;
    }

    FlinkTestTables property(String entity, String name, String value) {
        return property(entity, name, value, 1_000L);
    }

    FlinkTestTables property(String entity, String name, String value, long observedAt) {
        attributes.add(new Attribute(entity, name, "@value", null, AttributeCatalog.NGSI_LD + "Property", value,
                "@none", observedAt));
        return this;
    }

    FlinkTestTables iriProperty(String entity, String name, String iri) {
        return iriProperty(entity, name, iri, 1_000L);
    }

    FlinkTestTables iriProperty(String entity, String name, String iri, long observedAt) {
        attributes.add(new Attribute(entity, name, "@id", null, AttributeCatalog.NGSI_LD + "Property", iri, "@none",
                observedAt));
        return this;
    }

    FlinkTestTables relationship(String entity, String name, String object) {
        attributes.add(new Attribute(entity, name, "@id", null, AttributeCatalog.NGSI_LD + "Relationship", object,
                "@none", 1_000L));
        return this;
    }

    FlinkTestTables attribute(Attribute attribute) {
        attributes.add(attribute);
        return this;
    }

    FlinkTestTables triple(String subject, String predicate, String object) {
        triples.add(new Triple(subject, predicate, object));
        return this;
    }

    /** A table environment holding the rows as {@code entities}, {@code attributes}, {@code rdf} and the views. */
    TableEnvironment environment() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "1");
        env.getConfig().set("table.local-time-zone", "UTC");
        env.executeSql("CREATE TEMPORARY SYSTEM FUNCTION `hash` AS '" + HashFunction.class.getName() + "'");
        env.executeSql("CREATE TEMPORARY SYSTEM FUNCTION `statetime` AS '" + StateTimeFunction.class.getName() + "'");
        List<String> entityRows = new ArrayList<>();
        for (Entity e : entities) {
            entityRows.add(row(s(e.id()), s(e.type()), "CAST(NULL AS BOOLEAN)", ts(e.ts())));
        }
        view(env, "entities", "id, `type`, deleted, ts", entityRows,
                row("CAST(NULL AS STRING)", "CAST(NULL AS STRING)", "CAST(NULL AS BOOLEAN)", ts(0)));
        List<String> attributeRows = new ArrayList<>();
        for (Attribute a : attributes) {
            String id = a.entityId() + "\\" + a.name() + "\\" + a.datasetId();
            attributeRows.add(row(s(id), s(null), s(a.entityId()), s(a.name()), s(a.nodeType()), s(a.valueType()),
                    s(a.type()), s(a.value()), s(a.datasetId()), s(null), s(null), "CAST(NULL AS BOOLEAN)",
                    "CAST(NULL AS BOOLEAN)", ts(a.ts())));
        }
        view(env, "attributes", "id, parentId, entityId, name, nodeType, valueType, `type`, attributeValue, datasetId,"
                + " unitCode, lang, deleted, synced, ts", attributeRows, row(s(null), s(null), s(null), s(null),
                s(null), s(null), s(null), s(null), s(null), s(null), s(null), "CAST(NULL AS BOOLEAN)",
                "CAST(NULL AS BOOLEAN)", ts(0)));
        List<String> rdfRows = new ArrayList<>();
        for (int i = 0; i < triples.size(); i++) {
            Triple t = triples.get(i);
            rdfRows.add(row(s(t.subject()), s(t.predicate()), s(t.object()), String.valueOf(i)));
        }
        view(env, "rdf", "subject, predicate, object, `index`", rdfRows, row(s(null), s(null), s(null), "0"));
        env.executeSql("CREATE TEMPORARY VIEW entities_view AS SELECT id, `type`, deleted, ts FROM (SELECT *,"
                + " ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rownum FROM entities) WHERE rownum = 1");
        env.executeSql("CREATE TEMPORARY VIEW attributes_view AS SELECT id, parentId, entityId, name, nodeType,"
                + " valueType, `type`, attributeValue, datasetId, unitCode, lang, deleted, synced, ts FROM (SELECT *,"
                + " ROW_NUMBER() OVER (PARTITION BY id, datasetId ORDER BY ts DESC) AS rownum FROM attributes)"
                + " WHERE rownum = 1");
        return env;
    }

    /** Runs a query and returns the final rows (the changelog applied as a multiset), sorted. */
    List<List<Object>> run(String query) {
        TableEnvironment env = environment();
        List<List<Object>> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(query).collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                List<Object> fields = new ArrayList<>();
                for (int i = 0; i < row.getArity(); i++) {
                    Object field = row.getField(i);
                    fields.add(field instanceof Object[] array ? Arrays.asList(array) : field);
                }
                switch (row.getKind()) {
                    case INSERT, UPDATE_AFTER -> rows.add(fields);
                    default -> rows.remove(fields);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("query failed: " + query, e);
        }
        rows.sort((a, b) -> Objects.toString(a).compareTo(Objects.toString(b)));
        return rows;
    }

    private static void view(TableEnvironment env, String name, String columns, List<String> rows, String typeRow) {
        String body = rows.isEmpty()
                ? "SELECT * FROM (VALUES " + typeRow + ") AS t(" + columns + ") WHERE FALSE"
                : "SELECT * FROM (VALUES " + String.join(", ", rows) + ") AS t(" + columns + ")";
        env.executeSql("CREATE TEMPORARY VIEW " + name + " AS " + body);
    }

    private static String row(String... values) {
        return "(" + String.join(", ", values) + ")";
    }

    private static String s(String value) {
        return value == null ? "CAST(NULL AS STRING)" : "CAST(" + SqlText.literal(value) + " AS STRING)";
    }

    private static String ts(long epochMillis) {
        return "CAST(TO_TIMESTAMP_LTZ(" + epochMillis + ", 3) AS TIMESTAMP(3))";
    }
}
