package io.flinkjobrunner.service.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The setup preflight and the readiness checks: CRDs, namespace, SelfSubjectAccessReviews, unreachable API. */
@EnableKubernetesMockClient(crud = true)
class ClusterAccessTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    /** "verb resource" pairs the fake authorizer denies. */
    private static final Set<String> DENIED = ConcurrentHashMap.newKeySet();

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
    void missingCrdsAreReportedByName() {
        List<Check> checks = new ClusterAccess(client).checks("iff");
        PreflightReport report = new PreflightReport(checks);
        assertFalse(report.ok());
        assertTrue(report.failures().contains("CRD flinkdeployments.flink.apache.org"), report.failures());
        assertTrue(report.failures().contains("Flink Kubernetes operator"), report.failures());
        TestingCluster.installCrds(client);
        PreflightReport installed = new PreflightReport(new ClusterAccess(client).checks("iff"));
        assertTrue(installed.ok(), installed.failures());
        assertEquals(1 + 3 + 1 + io.flinkjobrunner.service.deploy.spec.RequiredPermission.all().size(),
                installed.checks().size());
    }

    @Test
    void deniedPermissionAndMissingNamespaceFailThePreflight() {
        DENIED.add("delete kafkatopics");
        PreflightReport report = new PreflightReport(new ClusterAccess(client).checks("nowhere"));
        assertFalse(report.ok());
        assertTrue(report.failures().contains("namespace nowhere: does not exist"), report.failures());
        assertTrue(report.failures().contains("delete kafkatopics.kafka.strimzi.io in nowhere: denied (RBAC: no rule)"),
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
}
