package io.flinkjobrunner.sparql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import io.flinkjobrunner.udf.HashFunction;
import io.flinkjobrunner.udf.StateTimeFunction;

/**
 * Test fixture: the NGSI-LD and knowledge tables of shacl2flink's {@code create_core_tables.py}, {@code create_ngsild_tables.py} and {@code create_rdf_table.py} as bounded views over
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
        attributes.add(new Attribute(entity, name, "@value", null, NgsiLdVocabulary.NAMESPACE + "Property", value,
                "@none", observedAt));
        return this;
    }

    FlinkTestTables iriProperty(String entity, String name, String iri) {
        return iriProperty(entity, name, iri, 1_000L);
    }

    FlinkTestTables iriProperty(String entity, String name, String iri, long observedAt) {
        attributes.add(new Attribute(entity, name, "@id", null, NgsiLdVocabulary.NAMESPACE + "Property", iri, "@none",
                observedAt));
        return this;
    }

    FlinkTestTables relationship(String entity, String name, String object) {
        attributes.add(new Attribute(entity, name, "@id", null, NgsiLdVocabulary.NAMESPACE + "Relationship", object,
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
        StreamExecutionEnvironment streams = StreamExecutionEnvironment.getExecutionEnvironment();
        streams.setParallelism(1);
        StreamTableEnvironment env = StreamTableEnvironment.create(streams,
                EnvironmentSettings.inStreamingMode());
        env.getConfig().set("table.local-time-zone", "UTC");
        env.executeSql("CREATE TEMPORARY SYSTEM FUNCTION `hash` AS '" + HashFunction.class.getName() + "'");
        env.executeSql("CREATE TEMPORARY SYSTEM FUNCTION `statetime` AS '" + StateTimeFunction.class.getName() + "'");
        List<Row> entityRows = new ArrayList<>();
        for (Entity e : entities) {
            entityRows.add(Row.of(e.id(), e.type(), null, time(e.ts())));
        }
        table(env, streams, "entities", new String[] {"id", "type", "deleted", "ts"},
                new TypeInformation<?>[] {Types.STRING, Types.STRING, Types.BOOLEAN, Types.LOCAL_DATE_TIME},
                entityRows);
        List<Row> attributeRows = new ArrayList<>();
        for (Attribute a : attributes) {
            String id = a.entityId() + "\\" + a.name() + "\\" + a.datasetId();
            attributeRows.add(Row.of(id, null, a.entityId(), a.name(), a.nodeType(), a.valueType(), a.type(),
                    a.value(), a.datasetId(), null, null, null, null, time(a.ts())));
        }
        TypeInformation<?>[] attributeTypes = new TypeInformation<?>[14];
        java.util.Arrays.fill(attributeTypes, Types.STRING);
        attributeTypes[11] = Types.BOOLEAN;
        attributeTypes[12] = Types.BOOLEAN;
        attributeTypes[13] = Types.LOCAL_DATE_TIME;
        table(env, streams, "attributes", new String[] {"id", "parentId", "entityId", "name", "nodeType", "valueType",
                "type", "attributeValue", "datasetId", "unitCode", "lang", "deleted", "synced", "ts"}, attributeTypes,
                attributeRows);
        List<Row> rdfRows = new ArrayList<>();
        for (int i = 0; i < triples.size(); i++) {
            Triple t = triples.get(i);
            rdfRows.add(Row.of(t.subject(), t.predicate(), t.object(), i));
        }
        table(env, streams, "rdf", new String[] {"subject", "predicate", "object", "index"},
                new TypeInformation<?>[] {Types.STRING, Types.STRING, Types.STRING, Types.INT}, rdfRows);
        env.executeSql("CREATE TEMPORARY VIEW entities_view AS SELECT id, `type`, deleted, ts FROM (SELECT *,"
                + " ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rownum FROM entities) WHERE rownum = 1");
        env.executeSql("CREATE TEMPORARY VIEW attributes_view AS SELECT id, parentId, entityId, name, nodeType,"
                + " valueType, `type`, attributeValue, datasetId, unitCode, lang, deleted, synced, ts FROM (SELECT *,"
                + " ROW_NUMBER() OVER (PARTITION BY id, datasetId ORDER BY ts DESC) AS rownum FROM attributes)"
                + " WHERE rownum = 1");
        return env;
    }

    /** A bounded streaming source (not a VALUES literal: Flink decorrelates EXISTS only over real scans). */
    private static void table(StreamTableEnvironment env, StreamExecutionEnvironment streams, String name,
            String[] columns, TypeInformation<?>[] types, List<Row> rows) {
        List<Row> data = rows.isEmpty() ? List.of(new Row(columns.length)) : rows;
        DataStream<Row> stream = streams.fromData(data, Types.ROW_NAMED(columns, types));
        org.apache.flink.table.api.Table table = env.fromDataStream(stream);
        env.createTemporaryView(name, rows.isEmpty()
                ? table.where(org.apache.flink.table.api.Expressions.$(columns[0]).isNotNull()) : table);
    }

    private static LocalDateTime time(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
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
}
