package io.flinkjobrunner.service.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.DeployFailedException.Reason;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.spec.RequiredPermission;
import io.flinkjobrunner.service.deploy.spec.TestingDeploySettings;
import io.flinkjobrunner.service.packaging.ServiceManifests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Least privilege for real: the Helm chart installed on a real API server with RBAC, and the deployer, the preflight
 * and the readiness check run as the chart's service account, holding exactly the chart's Role. Everything they do is
 * allowed, anything else is denied (403), and a Role that lacks one permission deploy needs fails the preflight
 * naming it (and a deploy that uses it fails with the API server's refusal, rolled back).
 */
@ExtendWith(RealApiServer.Extension.class)
class LeastPrivilegeOnApiServerTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** How long an RBAC change may take to reach the API server's authorizer cache. */
    private static final Duration RBAC_PROPAGATION = Duration.ofSeconds(30);

    private static RealApiServer server;
    private static String namespace;
    private static Role rendered;
    private static KubernetesClient service;

    @BeforeAll
    static void installTheChart(RealApiServer realApiServer) throws Exception {
        server = realApiServer;
        server.install(FlinkOperatorRelease.FKO_1_14);
        server.install(StrimziRelease.STRIMZI_0_45);
        namespace = server.namespace("least-privilege");
        String serviceAccount = null;
        for (JsonNode document : ServiceManifests.documents(ServiceManifests.helmTemplate(namespace, Map.of()))) {
            HasMetadata object = SERIALIZATION.convertValue(document, HasMetadata.class);
            server.admin().resource(object).create();
            if (object instanceof Role role) {
                rendered = role;
            }
            if (object.getKind().equals("ServiceAccount")) {
                serviceAccount = object.getMetadata().getName();
            }
        }
        service = server.serviceAccount(namespace, serviceAccount);
    }

    @AfterEach
    void restoreTheRenderedRole() {
        setRole(rendered.getRules());
        awaitPermissions(failed -> failed.isEmpty());
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
        List<Check> preflight = new ClusterAccess(service).checks(namespace);
        assertEquals(List.of(), failed(preflight));
        assertEquals(RequiredPermission.all().size(),
                preflight.stream().filter(c -> c.name().endsWith(" in " + namespace)).count());
        assertEquals(List.of(), failed(new ClusterAccess(service).reachableAndPermitted(namespace)));
    }

    @Test
    void aDeployAnUpgradeAndAnUndeployRunEntirelyAsTheServiceAccount() throws Exception {
        KubernetesDeployer deployer = new KubernetesDeployer(service, Clock.systemUTC());
        try (TestingFlinkOperator operator = new TestingFlinkOperator(server.admin(), namespace)) {
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
        // Granted here, so the denials above are RBAC's and not a broken token.
        service.configMaps().inNamespace(namespace).list();
    }

    private static void assertForbidden(org.junit.jupiter.api.function.Executable call) {
        KubernetesClientException denied = assertThrows(KubernetesClientException.class, call);
        assertEquals(403, denied.getCode(), denied.getMessage());
    }

    static Stream<RequiredPermission> requiredPermissions() {
        return RequiredPermission.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredPermissions")
    void aRoleLackingOnePermissionFailsThePreflightAndTheReadinessCheckNamingIt(RequiredPermission missing) {
        setRole(rulesWithout(rendered.getRules(), missing));
        awaitPermissions(failed -> failed.size() == 1);
        String name = missing + " in " + namespace;
        List<Check> preflight = failed(new ClusterAccess(service).checks(namespace));
        assertEquals(List.of(name), preflight.stream().map(Check::name).toList());
        assertTrue(preflight.get(0).detail().startsWith("denied"), preflight.get(0).detail());
        assertEquals(List.of(name), failed(new ClusterAccess(service).reachableAndPermitted(namespace)).stream()
                .map(Check::name).toList());
    }

    /** Verbs the deploy uses on its way: refused when it reaches them, and what it applied is rolled back. */
    static Stream<RequiredPermission> verbsTheDeployUses() {
        return Stream.of(new RequiredPermission("", "configmaps", "create"),
                new RequiredPermission("kafka.strimzi.io", "kafkatopics", "watch"),
                new RequiredPermission("flink.apache.org", "flinkdeployments", "create"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verbsTheDeployUses")
    void aDeployFailsWithTheApiServersRefusalWhenTheRoleLacksAVerbItUses(RequiredPermission missing)
            throws Exception {
        setRole(rulesWithout(rendered.getRules(), missing));
        awaitPermissions(failed -> failed.size() == 1);
        KubernetesDeployer deployer = new KubernetesDeployer(service, Clock.systemUTC());
        DeployFailedException failure;
        try (TestingFlinkOperator operator = new TestingFlinkOperator(server.admin(), namespace)) {
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

    /** The rules with one (group, resource, verb) removed, one rule per group and resource. */
    private static List<PolicyRule> rulesWithout(List<PolicyRule> rules, RequiredPermission missing) {
        List<PolicyRule> narrowed = new ArrayList<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    List<String> verbs = rule.getVerbs().stream()
                            .filter(v -> !new RequiredPermission(group, resource, v).equals(missing)).toList();
                    if (!verbs.isEmpty()) {
                        narrowed.add(new PolicyRuleBuilder().withApiGroups(group).withResources(resource)
                                .withVerbs(verbs).build());
                    }
                }
            }
        }
        return narrowed;
    }

    private static void setRole(List<PolicyRule> rules) {
        server.admin().rbac().roles().inNamespace(namespace).withName(rendered.getMetadata().getName())
                .edit(role -> {
                    role.setRules(rules);
                    return role;
                });
    }

    /** Waits until the permission checks' failures satisfy {@code settled} (RBAC changes reach the cache quickly). */
    private static void awaitPermissions(Predicate<List<Check>> settled) {
        Instant until = Instant.now().plus(RBAC_PROPAGATION);
        Function<String, List<Check>> check = ns -> failed(new ClusterAccess(service).permissions(ns));
        List<Check> failed = check.apply(namespace);
        while (!settled.test(failed)) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("RBAC did not settle within " + RBAC_PROPAGATION + ": failing " + failed);
            }
            Thread.onSpinWait();
            failed = check.apply(namespace);
        }
    }
}
