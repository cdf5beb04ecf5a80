package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.deploy.DeployFailedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flinkjobrunner.service.deploy.DeployFailedException.Reason;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkVersions;
import io.flinkjobrunner.service.deploy.kubernetes.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.kubernetes.spec.RequiredPermission;
import io.flinkjobrunner.service.deploy.kubernetes.spec.TestingDeploySettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Least privilege for real: the Helm chart installed on a real API server with RBAC, and the deployer, the preflight
 * and the readiness check run as the chart's service account, holding exactly the chart's Role. Everything they do is
 * allowed, anything else is denied (403), and a Role that lacks one permission deploy needs fails the preflight
 * naming it (and a deploy that uses it fails with the API server's refusal, rolled back).
 */
@RealApiServerTest
class LeastPrivilegeOnApiServerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** What the preflight checks against: the shipped defaults. */
    private static final ClusterAccess.Expectations EXPECTED = new ClusterAccess.Expectations(
            FlinkVersions.runtimeOperatorVersion(), "flink", "my-cluster");

    private static RealApiServer server;
    private static String namespace;
    private static RealApiServer.Chart chart;
    private static KubernetesClient service;

    @BeforeAll
    static void installTheChart(RealApiServer realApiServer) {
        server = realApiServer;
        namespace = server.flinkNamespace("least-privilege");
        chart = server.installChart(namespace);
        service = server.serviceAccount(namespace, chart.serviceAccount());
    }

    @BeforeEach
    void operatorsOfThePlatform() {
        server.install(Fko.V1_14);
        server.install(Strimzi.V0_45);
    }

    @AfterEach
    void restoreTheRenderedRoles() {
        server.restore(chart);
    }

    private static DeploymentManifests manifests(String script) {
        return ManifestRenderer.render(new DeploymentTarget(namespace, "shacl"), TestingDeploySettings.settings(),
                script, TestingDeploySettings.topics());
    }

    private static List<Check> failed(List<Check> checks) {
        return checks.stream().filter(c -> !c.ok()).toList();
    }

    @Test
    void thePreflightAndTheReadinessCheckPassAsTheServiceAccount() {
        List<Check> preflight = new ClusterAccess(service).checks(namespace, EXPECTED);
        assertEquals(List.of(), failed(preflight));
        assertEquals(RequiredPermission.all().stream().map(p -> p + " in " + namespace).toList(),
                preflight.stream().filter(c -> c.ok() && c.detail().equals("allowed")
                        && c.name().endsWith(" in " + namespace)).map(Check::name).toList(),
                "every namespaced permission, each reviewed by the API server");
        assertTrue(preflight.stream().anyMatch(c -> c.ok() && c.name().equals("service account flink in "
                + namespace)), "the Flink service account, read as the service account: " + preflight);
        assertTrue(preflight.stream().anyMatch(c -> c.ok() && c.name().equals("get customresourcedefinitions"
                + ".apiextensions.k8s.io/flinkdeployments.flink.apache.org (cluster)")), preflight.toString());
        assertTrue(preflight.stream().anyMatch(c -> c.ok() && c.name().equals("flinkVersion "
                + FlinkVersions.runtimeOperatorVersion()) && c.detail().startsWith("accepted by the installed Flink "
                + "operator")), "the installed CRD was read through the ClusterRole: " + preflight);
        assertEquals(List.of(), failed(new ClusterAccess(service).reachableAndPermitted(namespace)));
    }

    @Test
    void aDeployAnUpgradeAndAnUndeployRunEntirelyAsTheServiceAccount() throws Exception {
        KubernetesDeployer deployer = new KubernetesDeployer(service, Clock.systemUTC());
        try (TestingFlinkOperator operator = new TestingFlinkOperator(server.admin(), namespace, Fko.V1_14);
                TestingTopicOperator topics = new TestingTopicOperator(server.admin(), namespace, Strimzi.V0_45,
                        null)) {
            var first = deployer.deploy(manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE,
                    new RecordingProgress());
            assertEquals("STABLE", first.status().lifecycleState());
            var upgrade = deployer.deploy(manifests(TestingDeploySettings.SCRIPT + "-- v2\n"), created -> () -> { },
                    DEADLINE, new RecordingProgress());
            assertEquals("RUNNING", upgrade.status().jobState());
            assertTrue(!upgrade.removed().isEmpty(), "the previous version's SQL ConfigMap is removed");
            var deleted = deployer.undeploy(namespace, "shacl", true, DEADLINE, new RecordingProgress());
            assertTrue(deleted.stream().anyMatch(o -> o.kind().equals("FlinkDeployment")), deleted.toString());
        }
        assertEquals(List.of(), leftovers());
    }

    /** Objects of deployment {@code shacl} left in the namespace, read as admin. */
    private static List<String> leftovers() {
        List<String> left = new ArrayList<>();
        server.admin().configMaps().inNamespace(namespace).list().getItems().forEach(c -> left.add("ConfigMap/" + c.getMetadata().getName()));
        for (CustomResourceKind kind : List.of(CustomResourceKind.KAFKA_TOPIC, CustomResourceKind.FLINK_DEPLOYMENT,
                CustomResourceKind.FLINK_SESSION_JOB)) {
            server.admin().genericKubernetesResources(KubernetesDeployer.context(kind)).inNamespace(namespace).list()
                    .getItems().forEach(r -> left.add(kind.kind() + "/" + r.getMetadata().getName()));
        }
        return left;
    }

    @Test
    void callsOutsideTheRoleAreDenied() {
        assertForbidden(() -> service.secrets().inNamespace(namespace).list());
        assertForbidden(() -> service.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata()
                .withName("x").endMetadata().withNewSpec().addNewContainer().withName("x").withImage("x")
                .endContainer().endSpec().build()).create());
        assertForbidden(() -> service.rbac().roles().inNamespace(namespace).list());
        assertForbidden(() -> service.namespaces().list());
        assertForbidden(() -> service.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("x").endMetadata().build()).create());
        assertForbidden(() -> service.genericKubernetesResources(KubernetesDeployer.context(
                CustomResourceKind.FLINK_DEPLOYMENT)).inNamespace("default").list());
        // The ClusterRole grants reading one CRD, by name: not another, nor listing them.
        assertForbidden(() -> service.apiextensions().v1().customResourceDefinitions()
                .withName(CustomResourceKind.KAFKA_TOPIC.crdName()).get());
        assertForbidden(() -> service.apiextensions().v1().customResourceDefinitions().list());
        // Granted here, so the denials above are RBAC's and not a broken token.
        service.configMaps().inNamespace(namespace).list();
        assertNotNull(service.apiextensions().v1().customResourceDefinitions()
                .withName(CustomResourceKind.FLINK_DEPLOYMENT.crdName()).get());
    }

    private static void assertForbidden(org.junit.jupiter.api.function.Executable call) {
        KubernetesClientException denied = assertThrows(KubernetesClientException.class, call);
        assertEquals(403, denied.getCode(), denied.getMessage());
    }

    static Stream<RequiredPermission> requiredPermissions() {
        return Stream.concat(RequiredPermission.all().stream(), RequiredPermission.clusterScoped().stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredPermissions")
    void aRoleLackingOnePermissionFailsThePreflightAndTheReadinessCheckNamingIt(RequiredPermission missing) {
        server.revoke(chart, List.of(missing));
        String name = missing + (missing.clusterWide() ? " (cluster)" : " in " + namespace);
        List<Check> preflight = failed(new ClusterAccess(service).checks(namespace, EXPECTED));
        // What the missing permission reads fails too, naming why: the Flink service account and the CRD.
        List<String> expected = new ArrayList<>();
        if (missing.resource().equals("serviceaccounts")) {
            expected.add("service account flink in " + namespace);
        }
        if (missing.clusterWide()) {
            expected.add("flinkVersion " + FlinkVersions.runtimeOperatorVersion());
        }
        if (missing.resource().equals("kafkatopics") && missing.verb().equals("list")) {
            expected.add("topic operator of Kafka my-cluster in " + namespace);
        }
        expected.add(name);
        assertEquals(expected, preflight.stream().map(Check::name).toList());
        assertTrue(preflight.get(preflight.size() - 1).detail().startsWith("denied"), preflight.toString());
        assertEquals(List.of(name), failed(new ClusterAccess(service).reachableAndPermitted(namespace)).stream()
                .map(Check::name).toList());
    }

    /** Verbs the deploy uses on its way: refused when it reaches them, and what it applied is rolled back. */
    static Stream<RequiredPermission> verbsTheDeployUses() {
        return Stream.of(new RequiredPermission("", "configmaps", "create"),
                new RequiredPermission("kafka.strimzi.io", "kafkatopics", "watch"),
                new RequiredPermission("flink.apache.org", "flinkdeployments", "create"),
                new RequiredPermission("flink.apache.org", "flinkdeployments", "watch"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verbsTheDeployUses")
    void aDeployFailsWithTheApiServersRefusalWhenTheRoleLacksAVerbItUses(RequiredPermission missing)
            throws Exception {
        server.revoke(chart, List.of(missing));
        KubernetesDeployer deployer = new KubernetesDeployer(service, Clock.systemUTC());
        DeployFailedException failure;
        try (TestingFlinkOperator operator = new TestingFlinkOperator(server.admin(), namespace, Fko.V1_14);
                TestingTopicOperator topics = new TestingTopicOperator(server.admin(), namespace, Strimzi.V0_45,
                        null)) {
            failure = assertThrows(DeployFailedException.class, () -> deployer.deploy(
                    manifests(TestingDeploySettings.SCRIPT), created -> () -> { }, DEADLINE, new RecordingProgress()));
        }
        assertEquals(Reason.API_ERROR, failure.reason(), failure.getMessage());
        // The API server's refusal, for the resource whose permission is missing ("… is forbidden: User … cannot
        // create resource …", or a 403 on the watch request).
        assertTrue(failure.getMessage().toLowerCase(java.util.Locale.ROOT).contains("forbidden")
                && failure.getMessage().contains(missing.resource()), failure.getMessage());
        assertEquals(List.of(), failure.leftovers());
        assertEquals(List.of(), leftovers());
    }
}
