package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.deploy.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.TestingApiServer;
import io.flinkjobrunner.service.deploy.TestingCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster of the deploy-target tests: a {@link TestingApiServer} (the CRUD mock answering as a real API server)
 * with the CRDs of FKO 1.14 and Strimzi 0.45 (what the IndustryFusion platform installs), the namespace {@code iff}
 * with the Flink service account, an authorizer that grants everything but {@link #DENIED}, and a kubeconfig file
 * whose context {@code mock} points at it. The service's default client points at it too.
 */
public final class TestingKubernetes implements QuarkusTestResourceLifecycleManager {

    /** Namespace the tests deploy into (the profile's default namespace). */
    public static final String NAMESPACE = "iff";
    /** The kubeconfig context that reaches the mock. */
    public static final String CONTEXT = "mock";
    /** The operator releases the cluster runs. */
    public static final Fko FKO = Fko.V1_14;
    public static final Strimzi STRIMZI = Strimzi.V0_45;
    /** "verb resource" pairs the authorizer denies. */
    public static final Set<String> DENIED = ConcurrentHashMap.newKeySet();

    private static TestingApiServer api;

    /** Where the kubeconfig is written; fixed per test JVM so the profile can name it before the server starts. */
    public static Path kubeconfig() {
        return Path.of(System.getProperty("java.io.tmpdir"), "fjr-deploy-test-" + ProcessHandle.current().pid()
                + ".kubeconfig");
    }

    /** The running API server of the current test class. */
    public static TestingApiServer api() {
        return api;
    }

    @Override
    public synchronized Map<String, String> start() {
        api = TestingApiServer.start(FKO, STRIMZI, false, NAMESPACE);
        TestingCluster.serveAccessReviews(api.server(), DENIED);
        String url = api.client().getMasterUrl().toString();
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: tester
                  user:
                    token: test-token
                contexts:
                - name: %s
                  context:
                    cluster: mock
                    user: tester
                    namespace: %s
                current-context: %s
                """.formatted(url, CONTEXT, NAMESPACE, CONTEXT);
        try {
            Files.writeString(kubeconfig(), kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kubeconfig().toFile().deleteOnExit();
        return Map.of("quarkus.kubernetes-client.api-server-url", url,
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", NAMESPACE);
    }

    @Override
    public synchronized void stop() {
        if (api != null) {
            api.close();
            api = null;
        }
    }
}
