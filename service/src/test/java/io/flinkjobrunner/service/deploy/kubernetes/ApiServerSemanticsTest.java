package io.flinkjobrunner.service.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.kubernetes.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.kubernetes.spec.TestingDeploySettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the deployer relies on from an API server, checked on the real one (the issue-13 deployer was written against a
 * mock that only imitated it): merge-patch semantics and generation bumps, watch replay from a resource version,
 * deletion with finalizers, discovery of unserved versions, the access review of a permission limited to one named
 * cluster-scoped object, and the KafkaTopic status subresource when a CRD serves several versions.
 */
@RealApiServerTest
class ApiServerSemanticsTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static Resource<GenericKubernetesResource> flink(KubernetesClient client, String namespace, String name) {
        return client.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                .inNamespace(namespace).withName(name);
    }

    /** The rendered FlinkDeployment of {@code namespace}. */
    private static GenericKubernetesResource rendered(String namespace) {
        DeploymentManifests manifests = ManifestRenderer.render(new DeploymentTarget(namespace, "shacl"),
                TestingDeploySettings.settings(), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        return manifests.flinkResource();
    }

    /** The rendered FlinkDeployment, created in a new namespace. */
    private static GenericKubernetesResource createdFlinkDeployment(RealApiServer server) {
        server.install(Fko.V1_14);
        String namespace = server.namespace("semantics");
        return server.admin().genericKubernetesResources(KubernetesDeployer.context(
                CustomResourceKind.FLINK_DEPLOYMENT)).inNamespace(namespace).resource(rendered(namespace)).create();
    }

    private static GenericKubernetesResource mergePatch(RealApiServer server, GenericKubernetesResource object,
            String patch) {
        return flink(server.admin(), object.getMetadata().getNamespace(), object.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(GenericKubernetesResource resource, String... path) {
        Object node = resource.getAdditionalProperties();
        for (String key : path) {
            node = ((Map<String, Object>) node).get(key);
        }
        return (Map<String, Object>) node;
    }

    @Test
    void aMergePatchRemovesNullKeysReplacesArraysAndBumpsTheGenerationOnlyWhenTheSpecChanges(RealApiServer server) {
        GenericKubernetesResource created = createdFlinkDeployment(server);
        assertEquals(1L, created.getMetadata().getGeneration());
        assertEquals(1, at(created, "spec", "jobManager", "resource").get("cpu"),
                "the rendered 1.0 CPUs are stored as the number 1");

        GenericKubernetesResource labelled = mergePatch(server, created, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        assertEquals(1L, labelled.getMetadata().getGeneration(), "metadata is not the spec");

        GenericKubernetesResource sameValue = mergePatch(server, created, "{\"spec\":{\"jobManager\":{\"resource\":"
                + "{\"cpu\":1}}}}");
        assertEquals(1L, sameValue.getMetadata().getGeneration(), "the stored value again is no change");
        GenericKubernetesResource sameNumber = mergePatch(server, created, "{\"spec\":{\"jobManager\":"
                + "{\"resource\":{\"cpu\":1.0}}}}");
        assertEquals(2L, sameNumber.getMetadata().getGeneration(), "but 1.0 where 1 is stored is a new generation "
                + "(the server compares the decoded spec, a float against an integer), which the operator answers "
                + "with an upgrade: a client must not send an equal number written otherwise");
        assertEquals(1, at(sameNumber, "spec", "jobManager", "resource").get("cpu"), "and it is stored as 1 again");

        String key = at(created, "spec", "flinkConfiguration").keySet().iterator().next();
        GenericKubernetesResource removed = mergePatch(server, created, "{\"spec\":{\"flinkConfiguration\":{\""
                + key + "\":null}}}");
        assertFalse(at(removed, "spec", "flinkConfiguration").containsKey(key), "null removes the key");
        assertEquals(3L, removed.getMetadata().getGeneration());

        GenericKubernetesResource replaced = mergePatch(server, created, "{\"spec\":{\"job\":{\"args\":[\"/other\"]}}}");
        assertEquals(List.of("/other"), at(replaced, "spec", "job").get("args"), "an array is replaced, not merged");
        assertEquals(4L, replaced.getMetadata().getGeneration());

        GenericKubernetesResource unchanged = mergePatch(server, created, "{\"spec\":{\"job\":{\"args\":"
                + "[\"/other\"]}}}");
        assertEquals(4L, unchanged.getMetadata().getGeneration(), "the same value again is no change");

        GenericKubernetesResource nulled = mergePatch(server, created, "{\"spec\":{\"job\":{\"state\":null,"
                + "\"absent\":null}}}");
        assertFalse(at(nulled, "spec", "job").containsKey("state"));
        assertEquals(5L, nulled.getMetadata().getGeneration(), "removing a key is a change, removing none is not");
    }

    @Test
    void aFullPutOfTheRenderingDropsWhatOtherControllersAddedWhichAMergePatchKeeps(RealApiServer server) {
        GenericKubernetesResource created = createdFlinkDeployment(server);
        GenericKubernetesResource foreign = mergePatch(server, created, "{\"metadata\":{\"finalizers\":[\""
                + Fko.FINALIZER + "\"],\"labels\":{\"team\":\"quality\"}}}");
        // What the deployer of before did: PUT the rendering with the live resourceVersion.
        GenericKubernetesResource rendering = SERIALIZATION.clone(created);
        rendering.getMetadata().setResourceVersion(foreign.getMetadata().getResourceVersion());
        rendering.getMetadata().setFinalizers(null);
        rendering.getMetadata().setManagedFields(null);
        GenericKubernetesResource put = server.admin().genericKubernetesResources(KubernetesDeployer.context(
                CustomResourceKind.FLINK_DEPLOYMENT)).inNamespace(created.getMetadata().getNamespace())
                .resource(rendering).update();
        assertEquals(List.of(), put.getMetadata().getFinalizers(), "the operator's finalizer is gone");
        assertFalse(put.getMetadata().getLabels().containsKey("team"), "another controller's label is gone");
    }

    @Test
    void aWatchFromAResourceVersionReplaysEveryChangeSince(RealApiServer server) throws Exception {
        GenericKubernetesResource created = createdFlinkDeployment(server);
        String namespace = created.getMetadata().getNamespace();
        String before = created.getMetadata().getResourceVersion();
        mergePatch(server, created, "{\"metadata\":{\"labels\":{\"step\":\"1\"}}}");
        mergePatch(server, created, "{\"metadata\":{\"labels\":{\"step\":\"2\"}}}");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Watch watch = flink(server.admin(), namespace, "shacl").watch(new ListOptionsBuilder()
                .withResourceVersion(before).build(), new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource resource) {
                        seen.add(action + " " + resource.getMetadata().getLabels().get("step"));
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        seen.add("closed");
                    }
                })) {
            assertEquals("MODIFIED 1", seen.poll(60, TimeUnit.SECONDS), "the change made before the watch opened");
            assertEquals("MODIFIED 2", seen.poll(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aDeletedObjectWithAFinalizerStaysMarkedUntilTheFinalizerIsRemoved(RealApiServer server) {
        GenericKubernetesResource created = createdFlinkDeployment(server);
        String namespace = created.getMetadata().getNamespace();
        mergePatch(server, created, "{\"metadata\":{\"finalizers\":[\"" + Fko.FINALIZER + "\"]}}");
        flink(server.admin(), namespace, "shacl").delete();
        GenericKubernetesResource deleting = flink(server.admin(), namespace, "shacl").get();
        assertNotNull(deleting, "the DELETE returns, the object stays while it has a finalizer");
        assertNotNull(deleting.getMetadata().getDeletionTimestamp());
        GenericKubernetesResource patched = mergePatch(server, created, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        assertEquals("b", patched.getMetadata().getLabels().get("a"), "a deleting object can still be patched");
        KubernetesClientException recreate = assertThrows(KubernetesClientException.class, () -> server.admin()
                .genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                .inNamespace(namespace).resource(rendered(namespace)).create());
        assertEquals(409, recreate.getCode(), "a new object of the name must wait until the old one is gone: "
                + recreate.getMessage());
        mergePatch(server, created, "{\"metadata\":{\"finalizers\":null}}");
        RealApiServer.await("the object is gone once its finalizer is removed",
                () -> flink(server.admin(), namespace, "shacl").get() == null);
    }

    @Test
    void discoveryAndRequestsOfAVersionNoInstalledCrdServesAre404(RealApiServer server) {
        server.install(Strimzi.V1_0);
        try {
            // fabric8 answers the discovery 404 with null (ClusterAccess takes null and 404 alike as "not served")
            assertNull(server.admin().getApiResources("kafka.strimzi.io/v1beta2"));
            assertEquals(List.of("kafkatopics", "kafkatopics/status"), server.admin()
                    .getApiResources("kafka.strimzi.io/v1").getResources().stream().map(r -> r.getName()).toList());
            KubernetesClientException list = assertThrows(KubernetesClientException.class, () -> server.admin()
                    .genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.KAFKA_TOPIC))
                    .inNamespace("default").list());
            assertEquals(404, list.getCode());
        } finally {
            server.install(Strimzi.V0_45);
        }
    }

    @Test
    void anAccessReviewOfTheNamedCrdIsAllowedOnlyForThatName(RealApiServer server) {
        server.install(Fko.V1_14);
        RealApiServer.Chart chart = server.installChart(server.namespace("review"));
        try (KubernetesClient service = server.serviceAccount(chart.namespace(), chart.serviceAccount())) {
            assertTrue(review(service, CustomResourceKind.FLINK_DEPLOYMENT.crdName()), "the named CRD");
            assertFalse(review(service, CustomResourceKind.KAFKA_TOPIC.crdName()), "another CRD");
            assertFalse(review(service, null), "every CRD (no name)");
        }
    }

    private static boolean review(KubernetesClient client, String name) {
        return client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes().withGroup("apiextensions.k8s.io")
                .withResource("customresourcedefinitions").withVerb("get").withName(name)
                .endResourceAttributes().endSpec().build()).getStatus().getAllowed();
    }

    @Test
    void theKafkaTopicStatusWrittenThroughOneServedVersionIsReadThroughAnother(RealApiServer server) {
        server.install(Strimzi.V0_49);
        try {
            String namespace = server.namespace("status");
            var v1 = server.admin().genericKubernetesResources(KubernetesDeployer.context(
                    CustomResourceKind.KAFKA_TOPIC_V1)).inNamespace(namespace);
            var v1beta2 = server.admin().genericKubernetesResources(KubernetesDeployer.context(
                    CustomResourceKind.KAFKA_TOPIC)).inNamespace(namespace);
            GenericKubernetesResource topic = ManifestRenderer.render(new DeploymentTarget(namespace, "shacl"),
                    new io.flinkjobrunner.service.deploy.kubernetes.spec.DeploySettings(
                            io.flinkjobrunner.service.deploy.kubernetes.spec.KafkaTopicSettings.defaults().withApiVersion("v1"),
                            TestingDeploySettings.flink(), 4096),
                    TestingDeploySettings.SCRIPT, TestingDeploySettings.topics()).kafkaTopics().get(0);
            String name = topic.getMetadata().getName();
            GenericKubernetesResource created = v1.resource(topic).create();
            assertEquals(1L, created.getMetadata().getGeneration());

            GenericKubernetesResource old = v1beta2.withName(name).get();
            old.setAdditionalProperty("status", Map.of("observedGeneration", 1, "conditions",
                    List.of(Map.of("type", "Ready", "status", "True"))));
            v1beta2.resource(old).updateStatus();
            GenericKubernetesResource read = v1.withName(name).get();
            assertEquals("kafka.strimzi.io/v1", read.getApiVersion());
            assertEquals(1, at(read, "status").get("observedGeneration"), "one object, whatever the version");
            assertEquals(1L, read.getMetadata().getGeneration(), "a status write is no spec change");

            GenericKubernetesResource withStatus = SERIALIZATION.clone(read);
            withStatus.setAdditionalProperty("status", Map.of("observedGeneration", 7));
            v1.resource(withStatus).update();
            assertEquals(1, at(v1.withName(name).get(), "status").get("observedGeneration"),
                    "the main resource ignores status: only the status subresource writes it");
        } finally {
            server.install(Strimzi.V0_45);
        }
    }

    @Test
    void aStatusSubresourceWriteNeedsTheCurrentResourceVersion(RealApiServer server) {
        GenericKubernetesResource created = createdFlinkDeployment(server);
        mergePatch(server, created, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        created.setAdditionalProperty("status", Map.of("lifecycleState", "DEPLOYED"));
        KubernetesClientException conflict = assertThrows(KubernetesClientException.class, () -> server.admin()
                .genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                .inNamespace(created.getMetadata().getNamespace()).resource(created).updateStatus());
        assertEquals(409, conflict.getCode(), "an operator writing a stale status gets a conflict, and retries on the "
                + "newer version's event (as the doubles do)");
        assertNull(flink(server.admin(), created.getMetadata().getNamespace(), "shacl").get()
                .getAdditionalProperties().get("status"));
    }
}
