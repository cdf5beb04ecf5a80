package io.flinkjobrunner.service.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.flinkjobrunner.service.deploy.kubernetes.RealApiServer;
import io.flinkjobrunner.service.deploy.kubernetes.RealApiServerTest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The chart keeps the replicas' shared key across upgrades: rendered against a cluster (install, upgrade,
 * {@code --dry-run=server}) it looks up the Secret it created before and reuses its key; rendered offline
 * ({@code helm template}, see {@link ServiceManifestsTest}) there is nothing to look up. Here Helm (helm-java) renders
 * against the real API server, with and without the Secret an earlier installation kept (helm.sh/resource-policy).
 */
@RealApiServerTest
class ChartSecretLookupTest {

    private static final String SECRET = "fjr-flink-job-runner-secrets";
    private static final String KEPT = "a2VwdA==";

    /**
     * Installs the chart as release {@code fjr} into {@code namespace} (Helm adopts a kept Secret carrying the release's
     * annotations, as on a reinstall) and returns the key of the Secret the API server then holds.
     */
    private static String installedKey(RealApiServer server, String namespace) {
        new Helm(ServiceManifests.CHART).install().withName("fjr").withNamespace(namespace)
                .set("flink.stateDir", "s3://flink-state/fjr").withKubeConfigContents(server.adminKubeconfig())
                .disableOpenApiValidation().call();
        return server.admin().secrets().inNamespace(namespace).withName(SECRET).get().getData().get("key");
    }

    @Test
    void renderingAgainstAClusterReusesTheKeptSecretsKey(RealApiServer server) throws Exception {
        String namespace = server.namespace("chart-lookup");
        // kept by helm.sh/resource-policy from an earlier installation of release "fjr"
        server.admin().secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                .withName(SECRET).addToLabels("app.kubernetes.io/managed-by", "Helm")
                .addToAnnotations("meta.helm.sh/release-name", "fjr")
                .addToAnnotations("meta.helm.sh/release-namespace", namespace).endMetadata()
                .addToData("key", KEPT).build()).create();
        assertEquals(KEPT, installedKey(server, namespace));
    }

    @Test
    void withoutAnEarlierSecretAFreshKeyIsGenerated(RealApiServer server) throws Exception {
        String key = installedKey(server, server.namespace("chart-fresh"));
        assertNotEquals(KEPT, key);
        // the Secret's data is base64 of RUNNER_SECRETS_KEY, itself 32 random bytes in base64
        assertEquals(32, Base64.getDecoder().decode(Base64.getDecoder().decode(key)).length, key);
    }
}
