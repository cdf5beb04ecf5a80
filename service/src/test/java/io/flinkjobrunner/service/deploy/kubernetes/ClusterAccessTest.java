package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.deploy.PreflightReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkVersions;
import io.flinkjobrunner.service.deploy.kubernetes.spec.RequiredPermission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The setup preflight and the readiness checks on the real API server, as the chart's service account: CRDs and the
 * KafkaTopic version served (discovery), the installed operator's flinkVersion values (the CRD read through the
 * ClusterRole), namespace, Flink service account, topic operator, SelfSubjectAccessReviews answered by the RBAC
 * authorizer; and an API server that does not answer.
 */
@RealApiServerTest
class ClusterAccessTest {

    private static final ClusterAccess.Expectations EXPECTED = new ClusterAccess.Expectations(
            FlinkVersions.runtimeOperatorVersion(), "flink", "my-cluster");

    private static RealApiServer server;
    private static RealApiServer.Chart chart;
    private static KubernetesClient service;

    @BeforeAll
    static void theChart(RealApiServer realApiServer) {
        server = realApiServer;
        chart = server.installChart(server.namespace("preflight"));
        service = server.serviceAccount(chart.namespace(), chart.serviceAccount());
    }

    @AfterAll
    static void closeClient() {
        service.close();
    }

    @BeforeEach
    void operatorsOfThePlatformAndTheRenderedRoles() {
        server.install(Fko.V1_14);
        server.install(Strimzi.V0_45);
        server.restore(chart);
    }

    @Test
    void missingCrdsAndServiceAccountAreReportedByName() {
        String namespace = chart.namespace();
        server.uninstallFlinkOperator();
        server.uninstallStrimzi();
        PreflightReport report = new PreflightReport(new ClusterAccess(service).checks(namespace, EXPECTED));
        assertFalse(report.ok());
        assertTrue(report.failures().contains("FAIL CRD flinkdeployments.flink.apache.org (flink.apache.org/v1beta1): "
                + "not served: install the Flink Kubernetes operator's CRDs (1.13 or later)"), report.failures());
        assertTrue(report.failures().contains("FAIL CRD kafkatopics.kafka.strimzi.io: neither kafka.strimzi.io/v1 nor "
                + "v1beta2 is served"), report.failures());
        assertTrue(report.failures().contains("FAIL flinkVersion " + FlinkVersions.runtimeOperatorVersion()
                + ": the CRD flinkdeployments.flink.apache.org is not installed"), report.failures());
        assertTrue(report.failures().contains("FAIL service account flink in " + namespace + ": does not exist: the "
                + "Flink operator creates it (with its Role) only in the namespaces it watches"), report.failures());

        server.install(Fko.V1_14);
        server.install(Strimzi.V0_45);
        server.admin().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("flink").endMetadata().build()).create();
        PreflightReport installed = new PreflightReport(new ClusterAccess(service).checks(namespace, EXPECTED));
        assertTrue(installed.ok(), installed.failures());
        assertEquals(7 + RequiredPermission.all().size() + RequiredPermission.clusterScoped().size(),
                installed.checks().size());
        assertTrue(installed.checks().contains(new Check("namespace " + namespace, true, "not readable by the "
                + "service account (403); existence not verified")), "a namespaced Role cannot grant reading it");
        assertTrue(installed.warnings().startsWith("WARN topic operator of Kafka my-cluster in " + namespace + ": no "
                + "KafkaTopic of the cluster in " + namespace + ": Strimzi's topic operator watches only its Kafka's "
                + "namespace"), installed.warnings());
    }

    @Test
    void deniedPermissionsAndAMissingNamespaceFailThePreflight() {
        server.revoke(chart, List.of(new RequiredPermission("kafka.strimzi.io", "kafkatopics", "delete"),
                RequiredPermission.clusterScoped().get(0)));
        PreflightReport report = new PreflightReport(new ClusterAccess(service).checks(chart.namespace(), EXPECTED));
        assertFalse(report.ok());
        assertTrue(report.failures().contains("FAIL delete kafkatopics.kafka.strimzi.io in " + chart.namespace()
                + ": denied: grant it in the service account's Role"), report.failures());
        assertTrue(report.failures().contains("FAIL get customresourcedefinitions.apiextensions.k8s.io/flinkdeployments."
                + "flink.apache.org (cluster): denied: grant it in the service account's ClusterRole"),
                report.failures());
        assertTrue(report.failures().contains("FAIL flinkVersion " + FlinkVersions.runtimeOperatorVersion()
                + ": cannot read the CRD flinkdeployments.flink.apache.org (HTTP 403): grant get on "
                + "customresourcedefinitions/flinkdeployments.flink.apache.org (the chart's ClusterRole does)"),
                report.failures());
        PreflightReport nowhere = new PreflightReport(new ClusterAccess(server.admin()).checks("nowhere", EXPECTED));
        assertTrue(nowhere.failures().contains("FAIL namespace nowhere: does not exist"), nowhere.failures());
    }

    @Test
    void readinessNeedsAReachableApiAndEveryPermission() {
        assertTrue(new ClusterAccess(service).reachableAndPermitted(chart.namespace()).stream().allMatch(Check::ok));
        server.revoke(chart, List.of(new RequiredPermission("flink.apache.org", "flinkdeployments", "watch")));
        assertEquals(List.of("FAIL watch flinkdeployments.flink.apache.org in " + chart.namespace() + ": denied: "
                + "grant it in the service account's Role"),
                new ClusterAccess(service).reachableAndPermitted(chart.namespace()).stream().filter(c -> !c.ok())
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
        server.install(release);
        Check check = new ClusterAccess(service).flinkVersionAccepted(FlinkVersions.runtimeOperatorVersion());
        assertEquals(accepted, check.ok(), check.toString());
        if (!accepted) {
            assertEquals("flinkVersion " + FlinkVersions.runtimeOperatorVersion() + ": the installed Flink "
                    + "operator accepts only " + String.join(", ", release.flinkVersions()) + ", not "
                    + FlinkVersions.runtimeOperatorVersion() + " (the Flink release of the image; this build "
                    + "runs Flink " + FlinkVersions.runtime() + "): upgrade the Flink Kubernetes Operator to a "
                    + "release that knows " + FlinkVersions.runtimeOperatorVersion()
                    + " (1.13, 1.14 and 1.15 accept v2_2)", check.name() + ": " + check.detail());
        }
        assertEquals(release == Fko.V1_15, new ClusterAccess(service).flinkVersionAccepted("v2_3").ok());
    }

    @ParameterizedTest(name = "Strimzi {0}")
    @CsvSource({"V0_45, v1beta2", "V0_49, v1", "V1_0, v1"})
    void theKafkaTopicVersionIsWhatTheClusterServesV1Preferred(Strimzi release, String version) {
        server.install(release);
        ClusterAccess access = new ClusterAccess(service);
        assertEquals(CustomResourceKind.kafkaTopic(version), access.servedKafkaTopic().orElseThrow());
        assertEquals("OK   CRD kafkatopics.kafka.strimzi.io: served as kafka.strimzi.io/" + version
                + ", which deploy uses", access.kafkaTopicApi().toString());
    }

    @Test
    void aReadyKafkaTopicOfTheClusterShowsTheTopicOperatorWatchesTheNamespace() {
        String namespace = server.namespace("topics");
        try (TestingTopicOperator topics = new TestingTopicOperator(server.admin(), namespace, Strimzi.V0_45, null)) {
            ClusterAccess access = new ClusterAccess(server.admin());
            assertTrue(access.topicOperator(namespace, "my-cluster").warning());
            server.admin().genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.KAFKA_TOPIC))
                    .inNamespace(namespace).resource(new GenericKubernetesResourceBuilder()
                            .withApiVersion("kafka.strimzi.io/v1beta2").withKind("KafkaTopic")
                            .withNewMetadata().withName("iff.ngsild.entities")
                            .withLabels(Map.of("strimzi.io/cluster", "my-cluster")).endMetadata()
                            .withAdditionalProperties(Map.of("spec", Map.of("partitions", 1, "replicas", 1)))
                            .build()).create();
            RealApiServer.await("the topic operator marks the topic Ready",
                    () -> !access.topicOperator(namespace, "my-cluster").warning());
            assertEquals("OK   topic operator of Kafka my-cluster in " + namespace + ": 1 of 1 KafkaTopic(s) of the "
                    + "cluster here are Ready: the topic operator watches " + namespace,
                    access.topicOperator(namespace, "my-cluster").toString());
            assertTrue(access.topicOperator(namespace, "other-cluster").warning(),
                    "another cluster's topics prove nothing");
        }
    }
}
