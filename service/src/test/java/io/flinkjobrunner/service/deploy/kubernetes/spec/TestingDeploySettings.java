package io.flinkjobrunner.service.deploy.kubernetes.spec;

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

    /** Savepoint upgrades with the state in {@code stateDirectory} (null: stateless, no state directory). */
    public static FlinkSettings flink(String stateDirectory) {
        return new FlinkSettings(FlinkVersions.runtimeOperatorVersion(), FlinkVersions.runtime(),
                "ghcr.io/flink-job-runner/flink:0.1.0", "IfNotPresent", "flink",
                new ResourceRequest(1, "1024m"), new ResourceRequest(1, "2048m"), 2,
                stateDirectory == null ? UpgradeMode.STATELESS : UpgradeMode.SAVEPOINT, Duration.ofSeconds(60),
                stateDirectory, "local:///opt/flink/usrlib/fjr-sql-runner.jar", "/opt/flink/sql", Map.of());
    }

    /** Savepoint upgrades with the state in {@code s3://flink-state}. */
    public static FlinkSettings flink() {
        return flink("s3://flink-state");
    }

    public static DeploySettings settings(FlinkSettings flink) {
        return new DeploySettings(KafkaTopicSettings.defaults(), flink, 900 * 1024);
    }

    public static DeploySettings settings() {
        return settings(flink());
    }

    public static DeploymentTarget target() {
        return new DeploymentTarget("iff", "shacl");
    }

    public static Topics topics() {
        return Topics.defaults("shacl");
    }
}
