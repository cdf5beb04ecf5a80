package io.flinkjobrunner.service.deploy.spec;

import io.flinkjobrunner.topics.Topics;
import java.time.Duration;
import java.util.Map;

/** Settings and targets used across the deploy tests (the production defaults live in the config mapping). */
public final class TestingDeploySettings {

    /** A small script: SET, CREATE TABLE and one statement set, as the compiler emits them. */
    public static final String SCRIPT = """
            SET 'pipeline.name' = 'shacl-validation';
            CREATE TABLE `alerts_bulk` (`resource` STRING, `event` STRING, PRIMARY KEY (`resource`, `event`) NOT ENFORCED)
              WITH ('connector' = 'upsert-kafka', 'topic' = 'iff.alerts.bulk',
                    'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
                    'key.format' = 'json', 'value.format' = 'json');
            EXECUTE STATEMENT SET BEGIN
            INSERT INTO `alerts_bulk` SELECT 'urn:x', 'SHACL Validation Error';
            END;
            """;

    private TestingDeploySettings() {
    }

    public static FlinkSettings flink(FlinkJobMode mode) {
        return new FlinkSettings(mode, mode == FlinkJobMode.SESSION ? "session-cluster" : null, "v2_0",
                "ghcr.io/flink-job-runner/flink:0.1.0", "IfNotPresent", "flink",
                new ResourceRequest(1, "1024m"), new ResourceRequest(1, "2048m"), 2, UpgradeMode.SAVEPOINT,
                Duration.ofSeconds(60), "s3://flink-state", "local:///opt/flink/usrlib/fjr-sql-runner.jar",
                "/opt/flink/sql", Map.of());
    }

    public static DeploySettings settings(FlinkJobMode mode) {
        return new DeploySettings(KafkaTopicSettings.defaults(), flink(mode), 900 * 1024);
    }

    public static DeploySettings settings() {
        return settings(FlinkJobMode.APPLICATION);
    }

    public static DeploymentTarget target() {
        return new DeploymentTarget("iff", "shacl");
    }

    public static Topics topics() {
        return Topics.defaults("shacl");
    }
}
