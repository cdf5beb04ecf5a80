package io.flinkjobrunner.service.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentTarget;
import io.flinkjobrunner.service.deploy.kubernetes.spec.ManifestRenderer;
import io.flinkjobrunner.service.deploy.kubernetes.spec.TestingDeploySettings;
import io.flinkjobrunner.service.packaging.ServiceManifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl apply --dry-run=server} of the rendered manifests, the chart and k8s-deployment.yaml, as a user
 * applies a {@code plan}'s {@code manifests.yaml}: the kubectl built with the real API server (tools/kube-apiserver),
 * against that server with the CRDs of FKO 1.14 and Strimzi 0.45, so every object goes through kubectl's client side
 * (discovery, the apply logic) and the server's validation and admission, without being stored.
 */
@RealApiServerTest
class KubectlDryRunTest {

    /** Runs kubectl apply --dry-run=server over {@code manifests} as admin; returns the objects it would apply. */
    static List<String> dryRun(RealApiServer server, Path dir, String manifests) throws IOException,
            InterruptedException {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, server.adminKubeconfig());
        Path file = dir.resolve("manifests.yaml");
        Files.writeString(file, manifests);
        Process process = new ProcessBuilder(RealApiServer.kubectl().toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("cache").toString(), "apply", "--dry-run=server", "--validate=strict",
                "-o", "name", "-f", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, process.waitFor(120, TimeUnit.SECONDS), "kubectl did not finish");
        assertEquals(0, process.exitValue(), "kubectl apply --dry-run=server failed:\n" + output);
        return output.lines().filter(line -> !line.isBlank()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://flink-state", ""})
    void kubectlAppliesEveryRenderedObject(String stateDirectory, RealApiServer server, @TempDir Path dir)
            throws Exception {
        server.install(Fko.V1_14);
        server.install(Strimzi.V0_45);
        DeploymentManifests manifests = ManifestRenderer.render(new DeploymentTarget(server.namespace("kubectl"),
                "shacl"), TestingDeploySettings.settings(TestingDeploySettings.flink(stateDirectory.isEmpty() ? null
                        : stateDirectory)), TestingDeploySettings.SCRIPT, TestingDeploySettings.topics());
        List<String> expected = new ArrayList<>();
        manifests.all().forEach(o -> expected.add(
                (o.getKind().toLowerCase() + (o.getApiVersion().contains("/")
                        ? "." + o.getApiVersion().substring(0, o.getApiVersion().indexOf('/')) : ""))
                        + "/" + o.getMetadata().getName()));
        assertEquals(expected, dryRun(server, dir, manifests.toYaml()));
    }

    @Test
    void kubectlAppliesTheServiceManifestsAndTheRenderedChart(RealApiServer server, @TempDir Path dir)
            throws Exception {
        server.ensureNamespace("iff");
        assertEquals(List.of("serviceaccount/flink-job-runner", "role.rbac.authorization.k8s.io/flink-job-runner",
                "rolebinding.rbac.authorization.k8s.io/flink-job-runner",
                "clusterrole.rbac.authorization.k8s.io/flink-job-runner-iff-crd-read",
                "clusterrolebinding.rbac.authorization.k8s.io/flink-job-runner-iff-crd-read",
                "deployment.apps/flink-job-runner", "poddisruptionbudget.policy/flink-job-runner",
                "service/flink-job-runner"), dryRun(server, dir, ServiceManifests.plainManifests()));
        // plus the Secret with the replicas' shared key, which the plain manifests expect to exist
        assertEquals(9, dryRun(server, dir, ServiceManifests.helmTemplate(Map.of())).size());
    }
}
