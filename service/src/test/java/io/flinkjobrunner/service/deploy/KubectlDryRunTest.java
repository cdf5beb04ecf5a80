package io.flinkjobrunner.service.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flinkjobrunner.service.deploy.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.spec.TestingDeploySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl apply --dry-run=client} over the rendered manifests, against the fabric8 mock serving discovery.
 *
 * <p>Skipped (reported by Surefire, never silently passed) when kubectl is not installed; {@code ManifestSchemaTest}
 * checks the same manifests against their schemas in every build.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubectlDryRunTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @BeforeAll
    static void cluster() {
        TestingCluster.installCrds(client);
        TestingCluster.serveDiscovery(server);
    }

    static boolean kubectlInstalled() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs kubectl apply --dry-run=client over {@code manifests}; returns the objects it would create. */
    static List<String> dryRun(Path dir, String manifests) throws IOException, InterruptedException {
        assumeTrue(kubectlInstalled(), "kubectl is not installed: only the schema checks ran");
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, TestingCluster.kubeconfig(server));
        Path file = dir.resolve("manifests.yaml");
        Files.writeString(file, manifests);
        Process process = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir",
                dir.resolve("cache").toString(), "apply", "--dry-run=client", "--validate=false", "-o", "name",
                "-f", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS), "kubectl did not finish");
        assertEquals(0, process.exitValue(), "kubectl apply --dry-run=client failed:\n" + output);
        return output.lines().filter(line -> !line.isBlank()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://flink-state", ""})
    void kubectlAcceptsEveryRenderedObject(String stateDirectory, @TempDir Path dir) throws Exception {
        DeploymentManifests manifests = ManifestRenderer.render(TestingDeploySettings.target(),
                TestingDeploySettings.settings(TestingDeploySettings.flink(stateDirectory.isEmpty() ? null
                        : stateDirectory)), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        List<String> expected = new ArrayList<>();
        manifests.all().forEach(o -> expected.add(
                (o.getKind().toLowerCase() + (o.getApiVersion().contains("/")
                        ? "." + o.getApiVersion().substring(0, o.getApiVersion().indexOf('/')) : ""))
                        + "/" + o.getMetadata().getName()));
        assertEquals(expected, dryRun(dir, manifests.toYaml()));
    }

    @org.junit.jupiter.api.Test
    void kubectlAcceptsTheServiceManifestsAndTheRenderedChart(@TempDir Path dir) throws Exception {
        String plain = io.flinkjobrunner.service.packaging.ServiceManifests.plainManifests();
        assertEquals(List.of("serviceaccount/flink-job-runner", "role.rbac.authorization.k8s.io/flink-job-runner",
                "rolebinding.rbac.authorization.k8s.io/flink-job-runner",
                "clusterrole.rbac.authorization.k8s.io/flink-job-runner-iff-crd-read",
                "clusterrolebinding.rbac.authorization.k8s.io/flink-job-runner-iff-crd-read",
                "deployment.apps/flink-job-runner", "poddisruptionbudget.policy/flink-job-runner",
                "service/flink-job-runner"), dryRun(dir, plain));
        String chart = io.flinkjobrunner.service.packaging.ServiceManifests.helmTemplate(java.util.Map.of());
        // plus the Secret with the replicas' shared key, which the plain manifests expect to exist
        assertEquals(9, dryRun(dir, chart).size());
    }
}
