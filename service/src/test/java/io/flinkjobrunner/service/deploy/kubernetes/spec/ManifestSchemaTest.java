package io.flinkjobrunner.service.deploy.kubernetes.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.flinkjobrunner.service.deploy.kubernetes.BuiltInSchemaCheck;
import io.flinkjobrunner.service.deploy.kubernetes.CrdSchemas;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rendered object conforms to the schema of the operator releases users run: FlinkDeployments to the FKO CRD
 * (the api jar's schema, flinkVersion per release), KafkaTopics to the Strimzi release's CRD (version served), the
 * rest to the Kubernetes model; and the FlinkDeployment passes the release's validator rules.
 */
class ManifestSchemaTest {

    /** Violations of every object of {@code manifests} for the given releases (through the YAML plan writes). */
    static List<String> violations(DeploymentManifests manifests, Fko fko, Strimzi strimzi) {
        return CrdSchemas.violations(manifests.toYaml(), fko, strimzi);
    }

    @ParameterizedTest(name = "FKO {0}, Strimzi {1}, KafkaTopic {2}")
    @CsvSource({"V1_13, V0_45, v1beta2", "V1_14, V0_45, v1beta2", "V1_15, V0_45, v1beta2", "V1_14, V0_49, v1",
            "V1_15, V1_0, v1"})
    void everyRenderedObjectConformsToTheReleasesSchemas(Fko fko, Strimzi strimzi, String topicVersion) {
        KafkaTopicSettings kafka = new KafkaTopicSettings("my-cluster", 3, 3, java.time.Duration.ofDays(1), true,
                Map.of("min.insync.replicas", "2"), topicVersion);
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                new DeploySettings(kafka, TestingDeploySettings.flink(), 2048),
                TestingDeploySettings.SCRIPT.repeat(20), TestingDeploySettings.topics());
        assertEquals(List.of(), violations(manifests, fko, strimzi));
    }

    @Test
    void theRuntimesFlinkVersionIsOutsideFko110AndTheCheckSaysSo() {
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), "SELECT 1;", TestingDeploySettings.topics());
        List<String> errors = violations(manifests, Fko.V1_10, Strimzi.V0_45);
        assertEquals(List.of("FlinkDeployment/shacl: $.spec.flinkVersion: \"" + FlinkVersions.runtimeOperatorVersion()
                + "\" is not one FKO 1.10.0 accepts " + Fko.V1_10.flinkVersions()), errors);
        List<String> onStrimzi1 = violations(manifests, Fko.V1_14, Strimzi.V1_0);
        assertEquals(3, onStrimzi1.size(), onStrimzi1.toString());
        assertTrue(onStrimzi1.get(0).contains("kafka.strimzi.io/v1beta2 is not served by Strimzi 1.0.0"),
                onStrimzi1.toString());
    }

    @Test
    void schemaCheckCatchesUndeclaredAndMistypedFields() {
        GenericKubernetesResource flink = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), "SELECT 1;", TestingDeploySettings.topics()).flinkResource();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) flink.getAdditionalProperties().get("spec");
        spec.put("paralellism", 2);
        spec.put("flinkVersion", "v0_1");
        List<String> errors = CrdSchemas.validate(Fko.V1_15, CustomResourceKind.FLINK_DEPLOYMENT, flink);
        assertEquals(2, errors.size(), errors.toString());
        List<String> builtIn = BuiltInSchemaCheck.validate("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x}
                dataa: {a: b}
                """);
        assertFalse(builtIn.isEmpty());
    }

    @Test
    void theReleaseModelKeepsTheApiJarsEnumAndAddsOnlyNewerValues() {
        assertEquals(List.of("v1_13", "v1_14", "v1_15", "v1_16", "v1_17", "v1_18", "v1_19", "v1_20"),
                CrdSchemas.apiJarFlinkVersions(), "the 1.10.0 CRD is read unmodified");
        assertFalse(Fko.V1_10.flinkVersions().contains("v2_0"));
        assertTrue(Fko.V1_13.flinkVersions().contains("v2_2") && !Fko.V1_13.flinkVersions().contains("v2_3"));
        assertTrue(Fko.V1_14.flinkVersions().contains("v2_2") && !Fko.V1_14.flinkVersions().contains("v2_3"));
        assertTrue(Fko.V1_15.flinkVersions().containsAll(List.of("v2_2", "v2_3", "v2_4")));
    }
}
