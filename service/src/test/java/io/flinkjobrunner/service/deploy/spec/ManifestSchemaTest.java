package io.flinkjobrunner.service.deploy.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.BuiltInSchemaCheck;
import io.flinkjobrunner.service.deploy.CrdSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every rendered object conforms to its schema: CRD schemas for custom resources, the Kubernetes model otherwise. */
class ManifestSchemaTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @ParameterizedTest
    @EnumSource(FlinkJobMode.class)
    void everyRenderedObjectConformsToItsSchema(FlinkJobMode mode) {
        KafkaTopicSettings kafka = new KafkaTopicSettings("my-cluster", 3, 3, java.time.Duration.ofDays(1), true,
                Map.of("min.insync.replicas", "2"));
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                new DeploySettings(kafka, TestingDeploySettings.flink(mode), 2048),
                TestingDeploySettings.SCRIPT.repeat(20), TestingDeploySettings.topics());
        List<String> errors = new ArrayList<>();
        for (HasMetadata object : manifests.all()) {
            // Round-trip through the YAML that plan writes, so the check sees what a reviewer sees.
            Object parsed = SERIALIZATION.unmarshal(SERIALIZATION.asYaml(object));
            String name = object.getKind() + "/" + object.getMetadata().getName() + ": ";
            if (parsed instanceof GenericKubernetesResource custom) {
                CustomResourceKind kind = CustomResourceKind.of(custom.getApiVersion(), custom.getKind());
                CrdSchemas.validate(kind, custom).forEach(e -> errors.add(name + e));
            } else {
                BuiltInSchemaCheck.validate(SERIALIZATION.asYaml(object)).forEach(e -> errors.add(name + e));
            }
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void schemaCheckCatchesUndeclaredAndMistypedFields() {
        GenericKubernetesResource flink = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(), "SELECT 1;", TestingDeploySettings.topics()).flinkResource();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) flink.getAdditionalProperties().get("spec");
        spec.put("paralellism", 2);
        spec.put("flinkVersion", "v0_1");
        List<String> errors = CrdSchemas.validate(CustomResourceKind.FLINK_DEPLOYMENT, flink);
        assertEquals(2, errors.size(), errors.toString());
        List<String> builtIn = BuiltInSchemaCheck.validate("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x}
                dataa: {a: b}
                """);
        assertFalse(builtIn.isEmpty());
    }
}
