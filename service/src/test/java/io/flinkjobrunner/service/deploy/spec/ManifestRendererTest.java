package io.flinkjobrunner.service.deploy.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ManifestRendererTest {

    private static final Path GOLDEN = Path.of("src/test/resources/deploy/golden");

    private static void assertGolden(String file, String actual) throws IOException {
        Path path = GOLDEN.resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(path.getParent());
            Files.writeString(path, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(path, StandardCharsets.UTF_8), actual,
                "rendering differs from " + path + " (regenerate with -Dgolden.update=true)");
    }

    @Test
    void rendersApplicationModeManifests() throws IOException {
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        assertGolden("application.yaml", manifests.toYaml());
    }

    @Test
    void rendersSessionJobManifests() throws IOException {
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(FlinkJobMode.SESSION), TestingDeploySettings.SCRIPT,
                TestingDeploySettings.topics());
        assertEquals(CustomResourceKind.FLINK_SESSION_JOB, manifests.flinkKind());
        assertGolden("session.yaml", manifests.toYaml());
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
        KafkaTopicSettings withPlatform = new KafkaTopicSettings("kafka", 3, 2, Duration.ofDays(7), true, Map.of());
        DeploymentManifests all = ManifestRenderer.render(TestingDeploySettings.target(),
                new DeploySettings(withPlatform, TestingDeploySettings.flink(FlinkJobMode.APPLICATION), 4096),
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
        FlinkSettings v1 = TestingDeploySettings.flink(FlinkJobMode.APPLICATION);
        v1 = new FlinkSettings(v1.mode(), null, "v1_20", v1.image(), v1.imagePullPolicy(), v1.serviceAccount(),
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
        assertThrows(InvalidDeploymentException.class, () -> new KafkaTopicSettings("c", 0, 1, null, false, null));
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
