package io.flinkjobrunner.service.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploySettings;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.kubernetes.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.kubernetes.spec.TestingDeploySettings;
import io.flinkjobrunner.topics.Topics;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the renderer produces with the shipped defaults, created on a real API server that serves the real CRDs of each
 * operator release: accepted, and stored unpruned, by the releases that serve it; refused (422, or 404 for a KafkaTopic
 * version a release does not serve) by the others; and a FlinkDeployment or KafkaTopic that breaks the real schema is
 * refused naming the field.
 */
@RealApiServerTest
class RenderedResourcesOnApiServerTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** The operator releases deploy must work with (issue 13's support matrix; 1.14 is the platform's). */
    private static final Set<Fko> SUPPORTED = Set.of(Fko.V1_13,
            Fko.V1_14, Fko.V1_15);

    /** The manifests with the service's shipped defaults ({@code runner.deploy.*} unset). */
    private static DeploymentManifests render(String namespace) {
        return ManifestRenderer.render(new DeploymentTarget(namespace, "shacl"),
                DeployConfigTest.config(Map.of()).settings(), TestingDeploySettings.SCRIPT,
                TestingDeploySettings.topics());
    }

    private static GenericKubernetesResource create(RealApiServer server, CustomResourceKind kind,
            GenericKubernetesResource resource) {
        return server.admin().genericKubernetesResources(KubernetesDeployer.context(kind))
                .inNamespace(resource.getMetadata().getNamespace()).resource(resource)
                .fieldValidation(Validation.STRICT).create();
    }

    private static Object spec(GenericKubernetesResource resource) {
        return resource.getAdditionalProperties().get("spec");
    }

    /**
     * Asserts the API server stored {@code rendered}'s spec unchanged: no field pruned or defaulted. Field order does
     * not matter, and numbers compare by value (the server writes the rendered {@code 1.0} CPUs as {@code 1}).
     */
    private static void assertStoredAsRendered(GenericKubernetesResource rendered, GenericKubernetesResource stored) {
        assertTrue(RealApiServer.storedAsRendered(spec(rendered), spec(stored)), "the API server changed the spec:\n"
                + " rendered " + spec(rendered) + "\n stored   " + spec(stored));
    }

    @ParameterizedTest(name = "FKO {0}")
    @EnumSource(Fko.class)
    void theFlinkResourceIsAcceptedUnprunedByEveryReleaseThatServesItsFlinkVersion(Fko release,
            RealApiServer server) {
        server.install(release);
        DeploymentManifests manifests = render(server.namespace("fko"));
        GenericKubernetesResource flink = manifests.flinkResource();
        Object declared = ((Map<?, ?>) spec(flink)).get("flinkVersion");
        boolean served = release.flinkVersions().contains(String.valueOf(declared));
        if (SUPPORTED.contains(release)) {
            assertTrue(served, "FKO " + release.release() + " serves " + release.flinkVersions()
                    + ", not the declared " + declared);
        }
        if (served) {
            GenericKubernetesResource stored = create(server, manifests.flinkKind(), flink);
            assertStoredAsRendered(flink, stored);
        } else {
            KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                    () -> create(server, manifests.flinkKind(), flink));
            assertEquals(422, refused.getCode(), refused.getMessage());
            assertTrue(refused.getMessage().contains("spec.flinkVersion"), refused.getMessage());
        }
    }

    @ParameterizedTest(name = "Strimzi {0}")
    @EnumSource(Strimzi.class)
    void kafkaTopicsOfEitherVersionAreAcceptedUnprunedExactlyWhereTheirVersionIsServed(Strimzi release,
            RealApiServer server) {
        server.install(release);
        String namespace = server.namespace("strimzi");
        for (CustomResourceKind kind : CustomResourceKind.KAFKA_TOPICS) {
            DeploySettings defaults = DeployConfigTest.config(Map.of()).settings();
            DeploymentManifests manifests = ManifestRenderer.render(new DeploymentTarget(namespace, "shacl-"
                    + kind.version()), new DeploySettings(defaults.kafka().withApiVersion(kind.version()),
                    defaults.flink(), defaults.configMapPartBytes()), TestingDeploySettings.SCRIPT,
                    Topics.defaults("shacl-" + kind.version()));
            for (GenericKubernetesResource topic : manifests.kafkaTopics()) {
                assertEquals(kind.apiVersion(), topic.getApiVersion());
                if (release.servedVersions().contains(kind.version())) {
                    GenericKubernetesResource stored = create(server, kind, topic);
                    assertStoredAsRendered(topic, stored);
                } else {
                    KubernetesClientException notServed = assertThrows(KubernetesClientException.class,
                            () -> create(server, kind, topic));
                    assertEquals(404, notServed.getCode(), notServed.getMessage());
                }
            }
        }
    }

    /** The rendered FlinkDeployment with one change made to its spec. */
    private static GenericKubernetesResource brokenFlinkDeployment(String namespace,
            Consumer<Map<String, Object>> change) {
        GenericKubernetesResource flink = SERIALIZATION.clone(render(namespace)
                .flinkResource());
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) spec(flink);
        change.accept(spec);
        return flink;
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> schemaBreaks() {
        return Stream.of(
                Arguments.of("spec.flinkVersion", (Consumer<Map<String, Object>>) s -> s.put("flinkVersion", "v9_9")),
                Arguments.of("spec.job.upgradeMode", (Consumer<Map<String, Object>>) s ->
                        ((Map<String, Object>) s.get("job")).put("upgradeMode", "sometimes")),
                Arguments.of("spec.job.parallelism", (Consumer<Map<String, Object>>) s ->
                        ((Map<String, Object>) s.get("job")).put("parallelism", "two")),
                Arguments.of("spec.jobManager.replicas", (Consumer<Map<String, Object>>) s ->
                        ((Map<String, Object>) s.get("jobManager")).put("replicas", "one")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaBreaks")
    void aFlinkDeploymentThatBreaksTheRealSchemaIsRefusedNamingTheField(String field,
            Consumer<Map<String, Object>> change, RealApiServer server) {
        server.install(Fko.V1_14);
        GenericKubernetesResource broken = brokenFlinkDeployment(server.namespace("schema"), change);
        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> create(server, CustomResourceKind.FLINK_DEPLOYMENT, broken));
        assertEquals(422, refused.getCode(), refused.getMessage());
        assertTrue(refused.getMessage().contains(field), refused.getMessage());
    }

    @Test
    void anUnknownFieldInAFlinkDeploymentIsRefusedUnderStrictValidation(RealApiServer server) {
        server.install(Fko.V1_14);
        GenericKubernetesResource broken = brokenFlinkDeployment(server.namespace("schema"),
                s -> s.put("flinkVersoin", "v2_2"));
        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> create(server, CustomResourceKind.FLINK_DEPLOYMENT, broken));
        assertTrue(refused.getMessage().contains("flinkVersoin"), refused.getMessage());
    }

    @Test
    void aKafkaTopicThatBreaksTheGeneratedSchemaIsRefusedNamingTheField(RealApiServer server) {
        server.install(Strimzi.V0_45);
        GenericKubernetesResource topic = SERIALIZATION.clone(render(server.namespace("schema")).kafkaTopics()
                .get(0));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) spec(topic);
        spec.put("partitions", 0);
        spec.put("replicas", 40000);
        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> create(server, CustomResourceKind.KAFKA_TOPIC, topic));
        assertEquals(422, refused.getCode(), refused.getMessage());
        assertTrue(refused.getMessage().contains("spec.partitions"), refused.getMessage());
        assertTrue(refused.getMessage().contains("spec.replicas"), refused.getMessage());
    }
}
