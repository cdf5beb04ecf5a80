package io.flinkjobrunner.sparql;

import org.apache.flink.table.api.TableEnvironment;


/** Test fixture: the reference's Flink DDL (§2.2-2.5) with Kafka connectors, for planner checks without a broker. */
final class ReferenceDdl {

    private ReferenceDdl() {
    }

    static void declare(TableEnvironment env) {
        String kafka = "'connector' = 'kafka', 'properties.bootstrap.servers' = '127.0.0.1:1', 'format' = 'json',"
                + " 'scan.startup.mode' = 'earliest-offset'";
        String upsert = "'connector' = 'upsert-kafka', 'properties.bootstrap.servers' = '127.0.0.1:1',"
                + " 'key.format' = 'json', 'value.format' = 'json'";
        env.executeSql("CREATE TABLE entities (id STRING, `type` STRING, deleted BOOLEAN,"
                + " ts TIMESTAMP(3) METADATA FROM 'timestamp', WATERMARK FOR ts AS ts)"
                + " WITH (" + kafka + ", 'topic' = 'iff.ngsild.entities')");
        String attributeColumns = "id STRING, parentId STRING, entityId STRING, name STRING, nodeType STRING,"
                + " valueType STRING, `type` STRING, attributeValue STRING, datasetId STRING, unitCode STRING,"
                + " lang STRING, deleted BOOLEAN, synced BOOLEAN";
        env.executeSql("CREATE TABLE attributes (" + attributeColumns + ", ts TIMESTAMP(3) METADATA FROM 'timestamp',"
                + " WATERMARK FOR ts AS ts) WITH (" + kafka + ", 'topic' = 'iff.ngsild.attributes')");
        env.executeSql("CREATE TABLE attributes_insert (" + attributeColumns + ", PRIMARY KEY (id, datasetId) NOT"
                + " ENFORCED) WITH (" + upsert + ", 'topic' = 'iff.ngsild.attributes_insert')");
        env.executeSql("CREATE TABLE rdf (subject STRING, predicate STRING, object STRING, `index` INTEGER,"
                + " PRIMARY KEY (subject, predicate, `index`) NOT ENFORCED) WITH (" + upsert + ", 'topic' = 'rdf')");
        env.executeSql("CREATE TABLE alerts_bulk (resource STRING, event STRING, environment STRING,"
                + " service ARRAY<STRING>, severity STRING, customer STRING, text STRING,"
                + " ts TIMESTAMP(3) METADATA FROM 'timestamp' VIRTUAL, PRIMARY KEY (resource, event) NOT ENFORCED)"
                + " WITH (" + upsert + ", 'topic' = 'iff.alerts.bulk')");
        env.executeSql("CREATE VIEW entities_view AS SELECT id, `type`, deleted, ts FROM (SELECT *, ROW_NUMBER()"
                + " OVER (PARTITION BY id ORDER BY ts DESC) AS rownum FROM entities) WHERE rownum = 1");
        env.executeSql("CREATE VIEW attributes_view AS SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id,"
                + " datasetId ORDER BY ts DESC) AS rownum FROM attributes) WHERE rownum = 1");
        SparqlShapeCompiler.REQUIRED_SETTINGS.forEach((k, v) -> env.getConfig().set(k, v));
        for (String statement : SparqlShapeCompiler.FUNCTION_DDL) {
            env.executeSql(statement);
        }
        env.getConfig().set("table.exec.sink.upsert-materialize", "none");
    }
}
