package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.config.DeployConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kube contexts: known ones get one cached client each; unknown ones and missing kubeconfigs are clear errors. */
class KubernetesClientsTest {

    private static KubernetesClients clients(Path kubeconfig) {
        DeployConfig config = new SmallRyeConfigBuilder().withMapping(DeployConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("runner.deploy.kubeconfig", kubeconfig.toString()),
                        "test", 100)).build().getConfigMapping(DeployConfig.class);
        return new KubernetesClients(null, config);
    }

    @Test
    void aContextOfTheKubeconfigGetsOneClientReusedAcrossJobs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - {name: a, cluster: {server: "https://a.example:6443"}}
                - {name: b, cluster: {server: "https://b.example:6443"}}
                users:
                - {name: u, user: {token: t}}
                contexts:
                - {name: plant-a, context: {cluster: a, user: u}}
                - {name: plant-b, context: {cluster: b, user: u}}
                current-context: plant-a
                """);
        KubernetesClients clients = clients(file);
        KubernetesClient b = clients.client(Optional.of("plant-b"));
        assertEquals("https://b.example:6443/", b.getMasterUrl().toString());
        assertSame(b, clients.client(Optional.of("plant-b")));
        InvalidDeploymentException unknown = assertThrows(InvalidDeploymentException.class,
                () -> clients.check(Optional.of("plant-c")));
        assertEquals("context.kubeContext 'plant-c' is not defined in the kubeconfig " + file
                + "; available contexts: plant-a, plant-b", unknown.getMessage());
        clients.close();
    }

    @Test
    void aMissingKubeconfigFailsJobsThatNameAContext(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        InvalidDeploymentException failure = assertThrows(InvalidDeploymentException.class,
                () -> clients(missing).client(Optional.of("prod")));
        assertEquals("context.kubeContext 'prod' cannot be used: the kubeconfig " + missing + " does not exist",
                failure.getMessage());
    }
}
