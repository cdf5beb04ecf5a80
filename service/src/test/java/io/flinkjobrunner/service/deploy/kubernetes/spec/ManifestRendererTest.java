package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.flinkjobrunner.service.state.OwnedResource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.flinkjobrunner.testing.GoldenFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ManifestRendererTest {

    private static final Path GOLDEN = Path.of("src/test/resources/deploy/golden");

    private static void assertGolden(String file, String actual) {
        GoldenFile.assertMatches(GOLDEN.resolve(file), actual);
    }

    @Test
    void rendersApplicationModeManifests() throws IOException {
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        assertGolden("application.yaml", manifests.toYaml());
    }

    @Test
    void sessionModeIsRefusedWithTheReason() {
        InvalidDeploymentException refused = assertThrows(InvalidDeploymentException.class,
                () -> FlinkSettings.requireApplicationMode("session"));
        assertTrue(refused.getMessage().startsWith("runner.deploy.flink.mode=session is not supported: only "
                + "application mode runs"), refused.getMessage());
        assertTrue(refused.getMessage().contains("no local:// scheme"), refused.getMessage());
        FlinkSettings.requireApplicationMode("application");
        FlinkSettings.requireApplicationMode("APPLICATION");
    }

    @Test
    void theFlinkVersionMustBeTheImagesRelease() {
        FlinkSettings base = TestingDeploySettings.flink();
        InvalidDeploymentException refused = assertThrows(InvalidDeploymentException.class, () -> withVersion(base,
                "v2_0", FlinkVersions.runtime()));
        assertEquals("runner.deploy.flink.version=v2_0 does not match the Flink release of the image ("
                + FlinkVersions.runtime() + ", built from docker/flink/Dockerfile), whose flinkVersion is "
                + FlinkVersions.runtimeOperatorVersion() + ": the operator would mount the wrong configuration file "
                + "and run the image outside its tested matrix. Set runner.deploy.flink.version="
                + FlinkVersions.runtimeOperatorVersion() + ", or, for a custom image that runs another Flink "
                + "release, set runner.deploy.flink.image-flink-version to that release", refused.getMessage());
        FlinkSettings custom = withVersion(base, "v2_1", "2.1.1");
        assertEquals("v2_1", custom.flinkVersion());
        assertThrows(InvalidDeploymentException.class, () -> withVersion(base, "v2_2", "2.1.1"));
        assertThrows(InvalidDeploymentException.class, () -> withVersion(base, "v2_1", "two"));
    }

    private static FlinkSettings withVersion(FlinkSettings f, String version, String release) {
        return new FlinkSettings(version, release, f.image(), f.imagePullPolicy(), f.serviceAccount(),
                f.jobManager(), f.taskManager(), f.parallelism(), f.upgradeMode(), f.checkpointInterval(),
                f.stateDirectory(), f.runnerJarUri(), f.sqlDirectory(), f.flinkConfiguration());
    }

    @Test
    void theStateDirectorysSchemeGetsItsFilesystemPluginOnJobManagerAndTaskManager() {
        assertEquals("flink-s3-fs-presto-" + FlinkVersions.runtime() + ".jar", plugins("s3://bucket/state"));
        assertEquals("flink-s3-fs-hadoop-" + FlinkVersions.runtime() + ".jar", plugins("s3a://bucket/state"));
        assertEquals("flink-gs-fs-hadoop-" + FlinkVersions.runtime() + ".jar", plugins("gs://bucket/state"));
        assertEquals("flink-azure-fs-hadoop-" + FlinkVersions.runtime() + ".jar",
                plugins("abfss://c@account.dfs.core.windows.net/state"));
        assertEquals(null, plugins("file:///flink-data/state"));
        assertEquals(null, plugins(null), "stateless without a state directory");
        InvalidDeploymentException hdfs = assertThrows(InvalidDeploymentException.class,
                () -> plugins("hdfs://namenode/state"));
        assertTrue(hdfs.getMessage().startsWith("the state directory hdfs://namenode/state/checkpoints/iff/shacl uses "
                + "the scheme 'hdfs', which the Flink image cannot write"), hdfs.getMessage());
        Map<String, String> fromConfiguration = Map.of("execution.checkpointing.dir", "s3p://bucket/cp",
                "execution.checkpointing.savepoint-dir", "s3p://bucket/sp");
        FlinkSettings f = TestingDeploySettings.flink(null);
        FlinkSettings configured = new FlinkSettings(f.flinkVersion(), f.imageFlinkRelease(), f.image(),
                f.imagePullPolicy(), f.serviceAccount(), f.jobManager(), f.taskManager(), 1, UpgradeMode.SAVEPOINT,
                f.checkpointInterval(), null, f.runnerJarUri(), f.sqlDirectory(), fromConfiguration);
        assertEquals("flink-s3-fs-presto-" + FlinkVersions.runtime() + ".jar", pluginsOf(configured),
                "directories set through runner.deploy.flink.configuration count too");
    }

    private static String plugins(String stateDirectory) {
        return pluginsOf(TestingDeploySettings.flink(stateDirectory));
    }

    private static String pluginsOf(FlinkSettings flink) {
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(flink), "SELECT 1;", TestingDeploySettings.topics());
        com.fasterxml.jackson.databind.JsonNode container = new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(spec(manifests.flinkResource())).at("/podTemplate/spec/containers/0");
        assertEquals(ManifestRenderer.FLINK_MAIN_CONTAINER, container.path("name").asText());
        if (container.path("env").isMissingNode()) {
            return null;
        }
        assertEquals(FileSystemPlugins.ENV, container.at("/env/0/name").asText());
        return container.at("/env/0/value").asText();
    }

    /** The test settings, stateless, with {@code configuration} as the extra Flink configuration. */
    private static FlinkSettings stateless(Map<String, String> configuration) {
        FlinkSettings f = TestingDeploySettings.flink(null);
        return new FlinkSettings(f.flinkVersion(), f.imageFlinkRelease(), f.image(), f.imagePullPolicy(),
                f.serviceAccount(), f.jobManager(), f.taskManager(), 1, UpgradeMode.STATELESS, f.checkpointInterval(),
                null, f.runnerJarUri(), f.sqlDirectory(), configuration);
    }

    @Test
    void whatTheOperatorsValidatorRejectsIsRefusedBeforeAnythingIsApplied() {
        FlinkSettings f = TestingDeploySettings.flink(null);
        FlinkSettings savepointWithoutState = new FlinkSettings(f.flinkVersion(), f.imageFlinkRelease(), f.image(),
                f.imagePullPolicy(), f.serviceAccount(), f.jobManager(), f.taskManager(), 1, UpgradeMode.SAVEPOINT,
                f.checkpointInterval(), null, f.runnerJarUri(), f.sqlDirectory(), Map.of());
        InvalidDeploymentException refused = assertThrows(InvalidDeploymentException.class, () -> ManifestRenderer
                .render(TestingDeploySettings.target(), TestingDeploySettings.settings(savepointWithoutState),
                        "SELECT 1;", TestingDeploySettings.topics()));
        assertEquals("the Flink operator would reject this FlinkDeployment: Checkpoint directory["
                + "execution.checkpointing.dir] must be defined for last-state and savepoint upgrade modes; Job could "
                + "not be upgraded with savepoint while config key[execution.checkpointing.savepoint-dir] is not set. "
                + "Set runner.deploy.flink.state-dir (e.g. s3://flink/state) so checkpoints and savepoints have a "
                + "durable place, or choose runner.deploy.flink.upgrade-mode=stateless; nothing was applied",
                refused.getMessage());
        FlinkSettings periodic = stateless(Map.of("kubernetes.operator.periodic.savepoint.interval", "1h"));
        assertTrue(assertThrows(InvalidDeploymentException.class, () -> ManifestRenderer.render(
                TestingDeploySettings.target(), TestingDeploySettings.settings(periodic), "SELECT 1;",
                TestingDeploySettings.topics())).getMessage().contains("Periodic savepoints cannot be enabled"));
        FlinkSettings rollback = stateless(Map.of("kubernetes.operator.deployment.rollback.enabled", "true"));
        assertTrue(assertThrows(InvalidDeploymentException.class, () -> ManifestRenderer.render(
                TestingDeploySettings.target(), TestingDeploySettings.settings(rollback), "SELECT 1;",
                TestingDeploySettings.topics())).getMessage().endsWith("HA must be enabled for rollback support ("
                + "high-availability.type: kubernetes and high-availability.storageDir). Add high-availability.type: "
                + "kubernetes and high-availability.storageDir to runner.deploy.flink.configuration, or turn the option "
                + "off; nothing was applied"));
        FlinkSettings rollbackWithHa = stateless(Map.of("kubernetes.operator.deployment.rollback.enabled", "true",
                "high-availability.type", "kubernetes", "high-availability.storageDir", "s3://flink/ha"));
        ManifestRenderer.render(TestingDeploySettings.target(), TestingDeploySettings.settings(rollbackWithHa),
                "SELECT 1;", TestingDeploySettings.topics());
        DeploymentManifests stateless = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(f), "SELECT 1;", TestingDeploySettings.topics());
        Map<?, ?> config = (Map<?, ?>) spec(stateless.flinkResource()).get("flinkConfiguration");
        assertEquals(Map.of("execution.checkpointing.interval", "60000 ms"), config);
        assertEquals("stateless", ((Map<?, ?>) spec(stateless.flinkResource()).get("job")).get("upgradeMode"));
    }

    @Test
    void kafkaTopicsAreRenderedInTheConfiguredVersion() {
        DeploymentManifests v1 = ManifestRenderer.render(TestingDeploySettings.target(), new DeploySettings(
                KafkaTopicSettings.defaults().withApiVersion("v1"), TestingDeploySettings.flink(), 4096),
                "SELECT 1;", TestingDeploySettings.topics());
        assertTrue(v1.kafkaTopics().stream().allMatch(t -> t.getApiVersion().equals("kafka.strimzi.io/v1")));
        assertTrue(ManifestRenderer.parseInventory(v1.inventory().getData()).contains(new OwnedResource(
                "kafka.strimzi.io/v1", "KafkaTopic", "fjr.shacl.rdf")));
        assertTrue(assertThrows(InvalidDeploymentException.class, () -> KafkaTopicSettings.defaults()
                .withApiVersion("v1alpha1")).getMessage().startsWith("KafkaTopic API version 'v1alpha1' is not one"));
    }

    @Test
    void semanticTopicsAreCompactedAndPlatformTopicsAreOptIn() {
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        assertEquals(List.of("fjr.shacl.rdf", "fjr.shacl.constraint_table", "fjr.shacl.constraint_combination_table"),
                manifests.kafkaTopics().stream().map(ManifestRendererTest::topicName).toList());
        for (GenericKubernetesResource topic : manifests.kafkaTopics()) {
            assertEquals("compact", spec(topic).get("config") instanceof Map<?, ?> c ? c.get("cleanup.policy") : null);
            assertEquals("my-cluster", topic.getMetadata().getLabels().get("strimzi.io/cluster"));
        }
        KafkaTopicSettings withPlatform = new KafkaTopicSettings("kafka", 3, 2, Duration.ofDays(7), true, Map.of(),
                "v1beta2");
        DeploymentManifests all = ManifestRenderer.render(TestingDeploySettings.target(),
                new DeploySettings(withPlatform, TestingDeploySettings.flink(), 4096),
                TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        assertEquals(7, all.kafkaTopics().size());
        GenericKubernetesResource alerts = all.kafkaTopics().stream()
                .filter(t -> topicName(t).equals("iff.alerts.bulk")).findFirst().orElseThrow();
        assertEquals(Map.of("retention.ms", "604800000"), spec(alerts).get("config"));
        assertEquals(3, spec(alerts).get("partitions"));
        assertEquals(2, spec(alerts).get("replicas"));
    }

    @Test
    void topicNamesBecomeValidDistinctObjectNames() {
        assertEquals("fjr.shacl.rdf", ManifestRenderer.kafkaTopicResourceName("fjr.shacl.rdf"));
        String a = ManifestRenderer.kafkaTopicResourceName("fjr.shacl.constraint_table");
        String b = ManifestRenderer.kafkaTopicResourceName("fjr.shacl.constraint-table");
        assertTrue(a.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"), a);
        assertNotEquals(a, b);
        assertTrue(ManifestRenderer.kafkaTopicResourceName("Upper_Case").startsWith("upper-case-"));
    }

    @Test
    void largeScriptsAreSplitIntoConfigMapsBelowTheObjectLimit() {
        String statement = "INSERT INTO t SELECT '" + "x".repeat(1000) + "';\n";
        String script = statement.repeat(3000);
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), script, TestingDeploySettings.topics());
        assertEquals(4, manifests.sqlConfigMaps().size());
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < manifests.sqlConfigMaps().size(); i++) {
            ConfigMap part = manifests.sqlConfigMaps().get(i);
            String yaml = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(part);
            assertTrue(yaml.getBytes(StandardCharsets.UTF_8).length < 1024 * 1024, "ConfigMap above 1 MiB");
            joined.append(part.getData().get(ScriptParts.fileName(i)));
        }
        assertEquals(script, joined.toString());
        int sources = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(spec(manifests.flinkResource()))
                .at("/podTemplate/spec/volumes/0/projected/sources").size();
        assertEquals(4, sources);
    }

    @Test
    void inventoryListsEveryObjectIncludingItself() {
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        List<OwnedResource> listed = ManifestRenderer.parseInventory(manifests.inventory().getData());
        assertEquals(manifests.ownedResources(), listed);
        assertEquals(manifests.all().size(), listed.size());
        assertTrue(listed.contains(new OwnedResource("v1", "ConfigMap", "shacl-fjr-inventory")));
        for (HasMetadata object : manifests.all()) {
            assertEquals("flink-job-runner", object.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
            assertEquals("shacl", object.getMetadata().getLabels().get("flinkjobrunner.io/deployment"));
            assertFalse(object.getMetadata().getLabels().containsKey("flinkjobrunner.io/job-id"),
                    "no job identity in the rendering: plan renders exactly what deploy applies");
            assertEquals("iff", object.getMetadata().getNamespace());
        }
    }

    @Test
    void newScriptGetsNewConfigMapsAndChangesTheFlinkSpec() {
        DeploymentManifests first = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        DeploymentManifests second = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), TestingDeploySettings.SCRIPT + "-- v2\n",
                TestingDeploySettings.topics());
        assertNotEquals(names(first.sqlConfigMaps()), names(second.sqlConfigMaps()));
        assertNotEquals(spec(first.flinkResource()), spec(second.flinkResource()));
        DeploymentManifests same = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        assertEquals(spec(first.flinkResource()), spec(same.flinkResource()));
    }

    @Test
    void flink1VersionsUseTheOldStateKeys() {
        FlinkSettings v1 = TestingDeploySettings.flink();
        v1 = new FlinkSettings("v1_20", "1.20.1", v1.image(), v1.imagePullPolicy(), v1.serviceAccount(),
                v1.jobManager(), v1.taskManager(), 1, UpgradeMode.LAST_STATE, v1.checkpointInterval(),
                v1.stateDirectory(), v1.runnerJarUri(), v1.sqlDirectory(), Map.of("state.backend.type", "rocksdb"));
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                new DeploySettings(KafkaTopicSettings.defaults(), v1, 4096), "SELECT 1;",
                TestingDeploySettings.topics());
        Map<?, ?> config = (Map<?, ?>) spec(manifests.flinkResource()).get("flinkConfiguration");
        assertEquals("s3://flink-state/savepoints/iff/shacl", config.get("state.savepoints.dir"));
        assertEquals("rocksdb", config.get("state.backend.type"));
        assertFalse(config.containsKey("execution.checkpointing.savepoint-dir"));
    }

    @Test
    void rejectsInvalidTargetsAndSettings() {
        assertThrows(InvalidDeploymentException.class, () -> new DeploymentTarget("iff", "Shacl"));
        assertThrows(InvalidDeploymentException.class, () -> new DeploymentTarget("iff", "x".repeat(46)));
        assertThrows(InvalidDeploymentException.class, () -> new DeploymentTarget("i_ff", "shacl"));
        assertThrows(InvalidDeploymentException.class, () -> new DeploymentTarget("iff", "../x"));
        assertThrows(InvalidDeploymentException.class, () -> new KafkaTopicSettings("c", 0, 1, null, false, null,
                "v1beta2"));
        assertThrows(InvalidDeploymentException.class, () -> new ResourceRequest(0, "1g"));
        assertThrows(InvalidDeploymentException.class, () -> new ResourceRequest(1, "lots"));
        assertThrows(InvalidDeploymentException.class, () -> UpgradeMode.parse("rolling"));
        assertEquals(UpgradeMode.LAST_STATE, UpgradeMode.parse("last-state"));
    }

    static String topicName(GenericKubernetesResource topic) {
        return (String) spec(topic).get("topicName");
    }

    static Map<?, ?> spec(GenericKubernetesResource resource) {
        return (Map<?, ?>) resource.getAdditionalProperties().get("spec");
    }

    private static String names(List<ConfigMap> configMaps) {
        return configMaps.stream().map(c -> c.getMetadata().getName()).collect(Collectors.joining(","));
    }
}
