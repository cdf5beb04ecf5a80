package io.flinkjobrunner.service.deploy.targets;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.flinkjobrunner.service.deploy.TestingCluster;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The cluster of the deploy-target tests: the Quarkus kubernetes test server (CRUD mock) with the operators' CRDs, the
 * namespace {@code iff}, an authorizer that grants everything but {@link #DENIED}, and a kubeconfig file whose context
 * {@code mock} points at it.
 */
public final class TestingKubernetes implements Consumer<KubernetesServer> {

    /** Namespace the tests deploy into (the profile's default namespace). */
    public static final String NAMESPACE = "iff";
    /** The kubeconfig context that reaches the mock. */
    public static final String CONTEXT = "mock";
    /** "verb resource" pairs the authorizer denies. */
    public static final Set<String> DENIED = ConcurrentHashMap.newKeySet();

    /** Where the kubeconfig is written; fixed per test JVM so the profile can name it before the server starts. */
    public static Path kubeconfig() {
        return Path.of(System.getProperty("java.io.tmpdir"), "fjr-deploy-test-" + ProcessHandle.current().pid()
                + ".kubeconfig");
    }

    @Override
    public void accept(KubernetesServer server) {
        TestingCluster.installCrds(server.getClient());
        TestingCluster.serveAccessReviews(server.getKubernetesMockServer(), DENIED);
        server.getClient().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .endMetadata().build()).create();
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
                """.formatted(server.getClient().getMasterUrl(), CONTEXT, NAMESPACE, CONTEXT);
        try {
            Files.writeString(kubeconfig(), kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kubeconfig().toFile().deleteOnExit();
    }
}
