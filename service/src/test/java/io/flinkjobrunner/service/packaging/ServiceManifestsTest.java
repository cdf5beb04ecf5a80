package io.flinkjobrunner.service.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.flinkjobrunner.service.deploy.kubernetes.BuiltInSchemaCheck;
import io.flinkjobrunner.service.deploy.kubernetes.spec.RequiredPermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** k8s-deployment.yaml and the Helm chart: schema-valid, hardened, and granting exactly what deploy needs. */
class ServiceManifestsTest {

    static Stream<Arguments> renderings() throws Exception {
        return Stream.of(
                Arguments.of("k8s-deployment.yaml", ServiceManifests.plainManifests()),
                Arguments.of("helm defaults", ServiceManifests.helmTemplate(Map.of())),
                Arguments.of("helm jwks + other deploy namespace", ServiceManifests.helmTemplate(Map.of(
                        "auth.jwksUrl", "https://keycloak.iff/realms/iff/protocol/openid-connect/certs",
                        "auth.issuer", "https://keycloak.iff/realms/iff", "deployNamespace", "flink-jobs"))),
                Arguments.of("helm auth off", ServiceManifests.helmTemplate(Map.of("auth.enabled", false))),
                Arguments.of("helm kafka client properties", ServiceManifests.helmTemplate(Map.of(
                        "kafka.clientProperties.secret", "kafka-client"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyObjectConformsToTheKubernetesSchema(String name, String yaml) throws Exception {
        List<String> errors = new ArrayList<>();
        for (JsonNode document : ServiceManifests.documents(yaml)) {
            String object = document.path("kind").asText() + "/" + document.at("/metadata/name").asText() + ": ";
            BuiltInSchemaCheck.validate(document.toString()).forEach(e -> errors.add(object + e));
        }
        assertEquals(List.of(), errors);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void roleGrantsExactlyWhatDeployNeeds(String name, String yaml) throws Exception {
        List<JsonNode> documents = ServiceManifests.documents(yaml);
        assertEquals(new HashSet<>(RequiredPermission.all()), granted(ServiceManifests.only(documents, "Role")));
        assertEquals(new HashSet<>(RequiredPermission.clusterScoped()),
                granted(ServiceManifests.only(documents, "ClusterRole")),
                "the only cluster-wide grant: get on the one named CRD");
        assertEquals(List.of("ClusterRole", "ClusterRoleBinding"), documents.stream()
                .map(d -> d.path("kind").asText()).filter(k -> k.startsWith("Cluster")).sorted().toList());
        JsonNode binding = ServiceManifests.only(documents, "RoleBinding");
        assertEquals(ServiceManifests.only(documents, "Role").at("/metadata/namespace"),
                binding.at("/metadata/namespace"));
        JsonNode account = ServiceManifests.only(documents, "ServiceAccount");
        assertEquals(account.at("/metadata/name"), binding.at("/subjects/0/name"));
        JsonNode clusterBinding = ServiceManifests.only(documents, "ClusterRoleBinding");
        assertEquals(account.at("/metadata/name"), clusterBinding.at("/subjects/0/name"));
        assertEquals(account.at("/metadata/namespace"), clusterBinding.at("/subjects/0/namespace"));
        assertEquals(ServiceManifests.only(documents, "ClusterRole").at("/metadata/name"),
                clusterBinding.at("/roleRef/name"));
    }

    private static Set<RequiredPermission> granted(JsonNode role) {
        Set<RequiredPermission> granted = new HashSet<>();
        for (JsonNode rule : role.path("rules")) {
            List<String> names = new ArrayList<>();
            rule.path("resourceNames").forEach(n -> names.add(n.asText()));
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        if (names.isEmpty()) {
                            granted.add(new RequiredPermission(group.asText(), resource.asText(), verb.asText()));
                        }
                        names.forEach(n -> granted.add(new RequiredPermission(group.asText(), resource.asText(),
                                verb.asText(), n)));
                    }
                }
            }
        }
        return granted;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void deploymentIsHardenedAndProbed(String name, String yaml) throws Exception {
        JsonNode pod = ServiceManifests.only(ServiceManifests.documents(yaml), "Deployment").at("/spec/template/spec");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertTrue(pod.at("/securityContext/runAsUser").asInt() > 0);
        JsonNode container = pod.at("/containers/0");
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", container.at("/securityContext/capabilities/drop/0").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertTrue(container.at("/readinessProbe/timeoutSeconds").asInt() >= 1, "readiness timeout set");
        assertTrue(container.at("/livenessProbe/timeoutSeconds").asInt() >= 1, "liveness timeout set");
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        assertFalse(container.at("/resources/requests/memory").isMissingNode());
        assertFalse(container.at("/resources/limits/memory").isMissingNode());
        Set<String> mounts = new HashSet<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertTrue(mounts.contains("/work"), "the writable work directory is a volume");
        Set<String> env = new HashSet<>();
        container.path("env").forEach(e -> env.add(e.path("name").asText()));
        assertTrue(env.containsAll(Set.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_PASSWORD",
                "RUNNER_AUTH_ENABLED", "RUNNER_DEPLOY_KUBERNETES_ENABLED")));
        container.path("env").forEach(e -> {
            if (e.path("name").asText().equals("QUARKUS_DATASOURCE_PASSWORD")) {
                assertFalse(e.at("/valueFrom/secretKeyRef/name").isMissingNode(), "password only by reference");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void replicasShareOneKeyAndHandTheirJobsOverWhenStopped(String name, String yaml) throws Exception {
        List<JsonNode> documents = ServiceManifests.documents(yaml);
        JsonNode deployment = ServiceManifests.only(documents, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        Map<String, JsonNode> env = new java.util.HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        JsonNode key = env.get("RUNNER_SECRETS_KEY");
        assertFalse(key == null || key.at("/valueFrom/secretKeyRef/name").isMissingNode(),
                "every replica reads the same key from a Secret");
        assertEquals("metadata.name", env.get("RUNNER_NODE_ID").at("/valueFrom/fieldRef/fieldPath").asText());
        JsonNode preStop = container.at("/lifecycle/preStop/exec/command");
        assertEquals("sleep", preStop.get(0).asText());
        int preStopSeconds = Integer.parseInt(preStop.get(1).asText());
        int delay = seconds(env.get("QUARKUS_SHUTDOWN_DELAY").path("value").asText());
        int drain = seconds(env.get("RUNNER_JOBS_DRAIN_TIMEOUT").path("value").asText());
        assertTrue(preStopSeconds > 0 && delay > 0 && drain > 0);
        assertTrue(pod.path("terminationGracePeriodSeconds").asInt() >= preStopSeconds + delay + drain + 10,
                "the grace period covers preStop, the shutdown delay, the drain and the hand-back");
        JsonNode budget = ServiceManifests.only(documents, "PodDisruptionBudget");
        assertEquals(1, budget.at("/spec/maxUnavailable").asInt());
        assertEquals(deployment.at("/spec/selector/matchLabels"), budget.at("/spec/selector/matchLabels"));
    }

    private static int seconds(String duration) {
        assertTrue(duration.matches("\\d+s"), duration);
        return Integer.parseInt(duration.substring(0, duration.length() - 1));
    }

    @Test
    void theChartCreatesTheSharedKeyUnlessOneIsGivenAndKeepsIt() throws Exception {
        List<JsonNode> documents = ServiceManifests.documents(ServiceManifests.helmTemplate(Map.of()));
        JsonNode secret = ServiceManifests.only(documents, "Secret");
        assertEquals("fjr-flink-job-runner-secrets", secret.at("/metadata/name").asText());
        assertEquals("keep", secret.at("/metadata/annotations").path("helm.sh/resource-policy").asText());
        byte[] key = java.util.Base64.getDecoder().decode(new String(java.util.Base64.getDecoder().decode(
                secret.at("/data/key").asText()), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(32, key.length, "RUNNER_SECRETS_KEY is 32 random bytes, base64");
        JsonNode env = ServiceManifests.only(documents, "Deployment").at("/spec/template/spec/containers/0/env");
        boolean fromIt = false;
        for (JsonNode e : env) {
            fromIt |= e.path("name").asText().equals("RUNNER_SECRETS_KEY")
                    && e.at("/valueFrom/secretKeyRef/name").asText().equals("fjr-flink-job-runner-secrets")
                    && e.at("/valueFrom/secretKeyRef/key").asText().equals("key");
        }
        assertTrue(fromIt);

        List<JsonNode> own = ServiceManifests.documents(ServiceManifests.helmTemplate(Map.of(
                "secretsKey.existingSecret", "my-key", "secretsKey.key", "aes")));
        assertTrue(own.stream().noneMatch(d -> d.path("kind").asText().equals("Secret")), "no Secret when one is given");
        boolean fromOwn = false;
        for (JsonNode e : ServiceManifests.only(own, "Deployment").at("/spec/template/spec/containers/0/env")) {
            fromOwn |= e.path("name").asText().equals("RUNNER_SECRETS_KEY")
                    && e.at("/valueFrom/secretKeyRef/name").asText().equals("my-key")
                    && e.at("/valueFrom/secretKeyRef/key").asText().equals("aes");
        }
        assertTrue(fromOwn);

        List<JsonNode> single = ServiceManifests.documents(ServiceManifests.helmTemplate(Map.of("replicaCount", 1)));
        assertTrue(single.stream().noneMatch(d -> d.path("kind").asText().equals("PodDisruptionBudget")),
                "a single replica gets no budget that would block node drains");
    }

    @Test
    void authIsOnByDefault() throws Exception {
        JsonNode container = ServiceManifests.only(ServiceManifests.documents(ServiceManifests.helmTemplate(Map.of())),
                "Deployment").at("/spec/template/spec/containers/0");
        boolean on = false;
        for (JsonNode e : container.path("env")) {
            on |= e.path("name").asText().equals("RUNNER_AUTH_ENABLED") && e.path("value").asText().equals("true");
        }
        assertTrue(on);
    }

    @Test
    void kafkaClientSecuritySettingsAreMountedFromASecretFile() throws Exception {
        JsonNode pod = ServiceManifests.only(ServiceManifests.documents(ServiceManifests.helmTemplate(Map.of(
                "kafka.clientProperties.secret", "kafka-client", "kafka.bootstrapServers", "kafka:9093"))),
                "Deployment").at("/spec/template/spec");
        Map<String, String> env = new java.util.HashMap<>();
        pod.at("/containers/0/env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        assertEquals("kafka:9093", env.get("RUNNER_DEPLOY_KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("/etc/flink-job-runner/kafka/client.properties", env.get("RUNNER_DEPLOY_KAFKA_CLIENT_PROPERTIES_FILE"));
        boolean mounted = false;
        for (JsonNode mount : pod.at("/containers/0/volumeMounts")) {
            mounted |= mount.path("mountPath").asText().equals("/etc/flink-job-runner/kafka")
                    && mount.path("readOnly").asBoolean();
        }
        assertTrue(mounted, "mounted read-only");
        boolean fromSecret = false;
        for (JsonNode volume : pod.path("volumes")) {
            fromSecret |= volume.at("/secret/secretName").asText().equals("kafka-client")
                    && volume.at("/secret/items/0/path").asText().equals("client.properties");
        }
        assertTrue(fromSecret, "the properties (credentials) come from the Secret");
        JsonNode defaults = ServiceManifests.only(ServiceManifests.documents(ServiceManifests.helmTemplate(Map.of())),
                "Deployment").at("/spec/template/spec/containers/0/env");
        defaults.forEach(e -> assertFalse(e.path("name").asText().equals("RUNNER_DEPLOY_KAFKA_CLIENT_PROPERTIES_FILE")));
    }

    @Test
    void chartRequiresAStateDirectoryUnlessStatelessAndPassesItOn() throws Exception {
        RuntimeException missing = assertThrows(RuntimeException.class,
                () -> ServiceManifests.helmTemplate(Map.of("flink.stateDir", "")));
        assertTrue(missing.getMessage().contains("flink.stateDir is required with flink.upgradeMode=savepoint: a "
                + "durable URI for checkpoints and savepoints"), missing.getMessage());
        RuntimeException badMode = assertThrows(RuntimeException.class,
                () -> ServiceManifests.helmTemplate(Map.of("flink.upgradeMode", "rolling")));
        assertTrue(badMode.getMessage().contains("flink.upgradeMode must be savepoint, last-state or stateless"),
                badMode.getMessage());
        Map<String, String> stateless = env(ServiceManifests.helmTemplate(Map.of("flink.stateDir", "",
                "flink.upgradeMode", "stateless")));
        assertEquals("stateless", stateless.get("RUNNER_DEPLOY_FLINK_UPGRADE_MODE"));
        assertFalse(stateless.containsKey("RUNNER_DEPLOY_FLINK_STATE_DIR"));
        Map<String, String> defaults = env(ServiceManifests.helmTemplate(Map.of()));
        assertEquals("s3://flink-state/fjr", defaults.get("RUNNER_DEPLOY_FLINK_STATE_DIR"));
        assertEquals("savepoint", defaults.get("RUNNER_DEPLOY_FLINK_UPGRADE_MODE"));
        assertEquals("v1beta2", defaults.get("RUNNER_DEPLOY_KAFKA_TOPIC_API_VERSION"));
    }

    /** The service container's environment of a rendering (literal values only). */
    static Map<String, String> env(String yaml) throws Exception {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        ServiceManifests.only(ServiceManifests.documents(yaml), "Deployment").at("/spec/template/spec/containers/0/env")
                .forEach(e -> {
                    if (e.has("value")) {
                        env.put(e.path("name").asText(), e.path("value").asText());
                    }
                });
        return env;
    }

    @Test
    void chartPassesHelmLintAndRefusesAMissingDatabaseSecret() {
        // helm lint renders in lint mode, where required values may be missing: the chart as shipped passes
        LintResult lint = new Helm(ServiceManifests.CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
        RuntimeException missing = assertThrows(RuntimeException.class,
                () -> ServiceManifests.helmTemplate(Map.of("postgresql.existingSecret", "")));
        assertTrue(missing.getMessage().contains("postgresql.existingSecret is required"), missing.getMessage());
    }
}
