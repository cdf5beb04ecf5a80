package io.flinkjobrunner.service.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.flinkjobrunner.service.deploy.TestingCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The chart keeps the replicas' shared key across upgrades: rendered against a cluster (install, upgrade,
 * {@code --dry-run=server}) it looks up the Secret it created before and reuses its key; rendered offline
 * ({@code helm template}, see {@link ServiceManifestsTest}) there is nothing to look up. Here Helm (helm-java) renders
 * against the fabric8 mock API server holding the Secret of an earlier installation.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ChartSecretLookupTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void renderingAgainstAClusterLooksUpTheKeptSecret() throws Exception {
        TestingCluster.serveDiscovery(server);
        String version = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\"}";
        for (String path : List.of("/version", "/version?timeout=32s")) {
            server.expect().get().withPath(path).andReturn(200, version).always();
        }
        // kept by helm.sh/resource-policy from an earlier installation of release "fjr"
        client.secrets().inNamespace("iff").resource(new SecretBuilder().withNewMetadata()
                .withName("fjr-flink-job-runner-secrets").addToLabels("app.kubernetes.io/managed-by", "Helm")
                .addToAnnotations("meta.helm.sh/release-name", "fjr")
                .addToAnnotations("meta.helm.sh/release-namespace", "iff").endMetadata()
                .addToData("key", "a2VwdA==").build()).create();
        drain();
        String kubeconfig = TestingCluster.kubeconfig(server);

        new Helm(ServiceManifests.CHART).install().withName("fjr").withNamespace("iff")
                .withKubeConfigContents(kubeconfig).disableOpenApiValidation().withDryRunOption(DryRun.SERVER).call();

        List<String> requests = drain();
        String lookup = "GET /api/v1/namespaces/iff/secrets/fjr-flink-job-runner-secrets";
        int discovered = requests.indexOf("GET /api/v1?timeout=32s");
        assertTrue(discovered >= 0 && requests.indexOf(lookup) > discovered,
                "the template looked the Secret up once Helm knew the cluster's kinds: " + requests);
    }

    private static List<String> drain() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            out.add(request.getMethod() + " " + request.getPath());
        }
        return out;
    }
}
