package io.flinkjobrunner.service.deploy.targets;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.kubernetes.RealApiServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The cluster of the deploy-target tests: the JVM's real API server ({@link RealApiServer}) with the CRDs of FKO 1.14
 * and Strimzi 0.45 (what the IndustryFusion platform installs), a fresh namespace with the Flink service account and
 * the service's Helm chart installed, and a kubeconfig whose one context, {@value #CONTEXT}, reaches the server as the
 * chart's service account: the service deploys with exactly the chart's Role and ClusterRole, as in a cluster. The
 * profile points the service's default client and {@code runner.deploy.kubeconfig} at that file (its path is fixed per
 * JVM, so the profile names it before the server starts); this resource sets the deploy namespace.
 *
 * <p>The resource and the tests may be loaded by different class loaders: what the tests need (the namespace, the
 * chart) travels as system properties, and {@link RealApiServer#shared()} is the same server in both.
 */
public final class TestingKubernetes implements QuarkusTestResourceLifecycleManager {

    /** The kubeconfig context that reaches the server as the chart's service account. */
    public static final String CONTEXT = "real";
    /** The operator releases the cluster runs. */
    public static final Fko FKO = Fko.V1_14;
    public static final Strimzi STRIMZI = Strimzi.V0_45;

    private static final String NAMESPACE_PROPERTY = "fjr.test.kubernetes-namespace";
    private static final String SERVICE_ACCOUNT_PROPERTY = "fjr.test.kubernetes-service-account";

    /** Where the kubeconfig is written; fixed per test JVM so the profile can name it before the server starts. */
    public static Path kubeconfig() {
        return Path.of(System.getProperty("java.io.tmpdir"), "fjr-deploy-test-" + ProcessHandle.current().pid()
                + ".kubeconfig");
    }

    /** The namespace the service deploys into (its {@code runner.deploy.namespace}). */
    public static String namespace() {
        String namespace = System.getProperty(NAMESPACE_PROPERTY);
        if (namespace == null) {
            throw new IllegalStateException("TestingKubernetes has not started");
        }
        return namespace;
    }

    /** A client with every right, for the operator doubles and the assertions. */
    public static KubernetesClient admin() {
        return RealApiServer.shared().admin();
    }

    /** The chart the service runs as, with its Role and ClusterRole as rendered. */
    public static RealApiServer.Chart chart() {
        return RealApiServer.shared().installedChart(namespace(), System.getProperty(SERVICE_ACCOUNT_PROPERTY));
    }

    @Override
    public synchronized Map<String, String> start() {
        RealApiServer server = RealApiServer.shared();
        server.install(FKO);
        server.install(STRIMZI);
        String namespace = server.flinkNamespace("service");
        RealApiServer.Chart chart = server.installChart(namespace);
        try {
            Files.writeString(kubeconfig(), server.kubeconfig(CONTEXT, namespace, chart.serviceAccount()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kubeconfig().toFile().deleteOnExit();
        System.setProperty(NAMESPACE_PROPERTY, namespace);
        System.setProperty(SERVICE_ACCOUNT_PROPERTY, chart.serviceAccount());
        return Map.of("runner.deploy.namespace", namespace);
    }

    @Override
    public synchronized void stop() {
        // The server lives as long as the JVM; the namespace is left behind (nothing deletes namespaces there).
    }
}
