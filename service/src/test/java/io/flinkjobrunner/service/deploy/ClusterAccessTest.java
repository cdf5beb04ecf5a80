package io.flinkjobrunner.service.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flinkjobrunner.service.deploy.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.spec.FlinkVersions;
import io.flinkjobrunner.service.deploy.spec.RequiredPermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The setup preflight and the readiness checks: CRDs and the KafkaTopic version served, the installed operator's
 * flinkVersion values, namespace, Flink service account, topic operator, SelfSubjectAccessReviews, unreachable API.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterAccessTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    /** "verb resource" pairs the fake authorizer denies. */
    private static final Set<String> DENIED = ConcurrentHashMap.newKeySet();
    private static final ClusterAccess.Expectations EXPECTED = new ClusterAccess.Expectations(
            FlinkVersions.runtimeOperatorVersion(), "flink", "my-cluster");

    @BeforeAll
    static void cluster() {
        TestingCluster.serveAccessReviews(server, DENIED);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("iff").endMetadata().build())
                .create();
    }

    @BeforeEach
    void allowEverything() {
        DENIED.clear();
    }

    @Test
    void missingCrdsAndServiceAccountAreReportedByName() {
        PreflightReport report = new PreflightReport(new ClusterAccess(client).checks("iff", EXPECTED));
        assertFalse(report.ok());
        assertTrue(report.failures().contains("CRD flinkdeployments.flink.apache.org"), report.failures());
        assertTrue(report.failures().contains("install the Flink Kubernetes operator's CRDs (1.13 or later)"),
                report.failures());
        assertTrue(report.failures().contains("neither kafka.strimzi.io/v1 nor v1beta2 is served"),
                report.failures());
        assertTrue(report.failures().contains("FAIL service account flink in iff: does not exist: the Flink operator "
                + "creates it (with its Role) only in the namespaces it watches"), report.failures());
        TestingCluster.installCrds(client);
        client.serviceAccounts().inNamespace("iff").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("flink").endMetadata().build()).create();
        PreflightReport installed = new PreflightReport(new ClusterAccess(client).checks("iff", EXPECTED));
        assertTrue(installed.ok(), installed.failures());
        assertEquals(7 + RequiredPermission.all().size() + RequiredPermission.clusterScoped().size(),
                installed.checks().size());
        assertTrue(installed.warnings().startsWith("WARN topic operator of Kafka my-cluster in iff: no KafkaTopic of "
                + "the cluster in iff: Strimzi's topic operator watches only its Kafka's namespace"),
                installed.warnings());
    }

    @Test
    void deniedPermissionAndMissingNamespaceFailThePreflight() {
        DENIED.add("delete kafkatopics");
        DENIED.add("get customresourcedefinitions");
        PreflightReport report = new PreflightReport(new ClusterAccess(client).checks("nowhere", EXPECTED));
        assertFalse(report.ok());
        assertTrue(report.failures().contains("namespace nowhere: does not exist"), report.failures());
        assertTrue(report.failures().contains("delete kafkatopics.kafka.strimzi.io in nowhere: denied (RBAC: no rule)"),
                report.failures());
        assertTrue(report.failures().contains("FAIL get customresourcedefinitions.apiextensions.k8s.io/flinkdeployments."
                + "flink.apache.org (cluster): denied (RBAC: no rule): grant it in the service account's ClusterRole"),
                report.failures());
    }

    @Test
    void readinessNeedsAReachableApiAndEveryPermission() {
        assertTrue(new ClusterAccess(client).reachableAndPermitted("iff").stream().allMatch(Check::ok));
        DENIED.add("watch flinkdeployments");
        assertEquals(List.of("FAIL watch flinkdeployments.flink.apache.org in iff: denied (RBAC: no rule): grant it in"
                + " the service account's Role"),
                new ClusterAccess(client).reachableAndPermitted("iff").stream().filter(c -> !c.ok())
                        .map(Check::toString).toList());
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:1")
                        .withRequestRetryBackoffLimit(0).build()).build()) {
            List<Check> checks = new ClusterAccess(unreachable).reachableAndPermitted("iff");
            assertEquals(1, checks.size());
            assertFalse(checks.get(0).ok());
            assertTrue(checks.get(0).detail().startsWith("unreachable"), checks.get(0).detail());
        }
    }

    @ParameterizedTest(name = "FKO {0}")
    @CsvSource({"V1_10, false", "V1_13, true", "V1_14, true", "V1_15, true"})
    void theInstalledOperatorsCrdDecidesWhetherTheFlinkVersionIsAccepted(Fko release, boolean accepted) {
        try (TestingApiServer api = TestingApiServer.start(release, Strimzi.V0_45, false, "iff")) {
            Check check = new ClusterAccess(api.client()).flinkVersionAccepted(FlinkVersions.runtimeOperatorVersion());
            assertEquals(accepted, check.ok(), check.toString());
            if (!accepted) {
                assertEquals("flinkVersion " + FlinkVersions.runtimeOperatorVersion() + ": the installed Flink "
                        + "operator accepts only " + String.join(", ", release.flinkVersions()) + ", not "
                        + FlinkVersions.runtimeOperatorVersion() + " (the Flink release of the image; this build "
                        + "runs Flink " + FlinkVersions.runtime() + "): upgrade the Flink Kubernetes Operator to a "
                        + "release that knows " + FlinkVersions.runtimeOperatorVersion()
                        + " (1.13, 1.14 and 1.15 accept v2_2)", check.name() + ": " + check.detail());
            }
            assertEquals(release == Fko.V1_15, new ClusterAccess(api.client()).flinkVersionAccepted("v2_3").ok());
        }
    }

    @ParameterizedTest(name = "Strimzi {0}")
    @CsvSource({"V0_45, v1beta2", "V0_49, v1", "V1_0, v1"})
    void theKafkaTopicVersionIsWhatTheClusterServesV1Preferred(Strimzi release, String version) {
        try (TestingApiServer api = TestingApiServer.start(Fko.V1_14, release, false, "iff")) {
            ClusterAccess access = new ClusterAccess(api.client());
            assertEquals(CustomResourceKind.kafkaTopic(version), access.servedKafkaTopic().orElseThrow());
            assertEquals("OK   CRD kafkatopics.kafka.strimzi.io: served as kafka.strimzi.io/" + version
                    + ", which deploy uses", access.kafkaTopicApi().toString());
        }
    }

    @Test
    void aReadyKafkaTopicOfTheClusterShowsTheTopicOperatorWatchesTheNamespace() throws InterruptedException {
        try (TestingApiServer api = TestingApiServer.start(Fko.V1_14, Strimzi.V0_45, false, "iff");
                TestingTopicOperator topics = new TestingTopicOperator(api.client(), "iff", Strimzi.V0_45, null)) {
            ClusterAccess access = new ClusterAccess(api.client());
            assertTrue(access.topicOperator("iff", "my-cluster").warning());
            api.client().genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.KAFKA_TOPIC))
                    .inNamespace("iff").resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                            .withApiVersion("kafka.strimzi.io/v1beta2").withKind("KafkaTopic")
                            .withNewMetadata().withName("iff.ngsild.entities")
                            .withLabels(Map.of("strimzi.io/cluster", "my-cluster")).endMetadata()
                            .withAdditionalProperties(Map.of("spec", Map.of("partitions", 1, "replicas", 1)))
                            .build()).create();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            Check check = access.topicOperator("iff", "my-cluster");
            while (check.warning() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                check = access.topicOperator("iff", "my-cluster");
            }
            assertEquals("OK   topic operator of Kafka my-cluster in iff: 1 of 1 KafkaTopic(s) of the cluster here are "
                    + "Ready: the topic operator watches iff", check.toString());
            assertTrue(access.topicOperator("iff", "other-cluster").warning(), "another cluster's topics prove nothing");
        }
    }
}
