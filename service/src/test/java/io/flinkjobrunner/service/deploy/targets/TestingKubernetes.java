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
 * whose context {@code mock} points at it. The service's default client points at it too (the profile sets
 * {@link #apiServerUrl()}).
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
    /** System property holding the API server's port: shared by the class loaders of the profile and the resource. */
    private static final String PORT_PROPERTY = "fjr.test.kubernetes-api-port";

    /**
     * The API server's port, fixed per test JVM: the service's client URL is build-time configuration, so the profile
     * names it before the server starts (in another class loader, hence the system property).
     */
    static int port() {
        synchronized (System.class) {
            String port = System.getProperty(PORT_PROPERTY);
            if (port == null) {
                try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                        java.net.InetAddress.getLoopbackAddress())) {
                    port = String.valueOf(socket.getLocalPort());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                System.setProperty(PORT_PROPERTY, port);
            }
            return Integer.parseInt(port);
        }
    }

    /** The URL the service's default client uses. */
    public static String apiServerUrl() {
        return "http://" + java.net.InetAddress.getLoopbackAddress().getHostAddress() + ":" + port();
    }

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
        api = TestingApiServer.start(FKO, STRIMZI, false, NAMESPACE, port());
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
        return Map.of();
    }

    @Override
    public synchronized void stop() {
        if (api != null) {
            api.close();
            api = null;
        }
    }
}
