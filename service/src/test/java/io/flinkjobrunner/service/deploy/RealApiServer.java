package io.flinkjobrunner.service.deploy;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kubernetes API server for the cluster tests: kube-apiserver and etcd built from their official Go modules
 * (tools/kube-apiserver, pinned in its go.mod; the Maven build runs its build.sh before the tests), started through
 * fabric8's kube-api-test in offline mode, once per test JVM, and stopped when the test run ends.
 *
 * <p>It runs with RBAC authorization (kube-api-test passes {@code --authorization-mode RBAC}), the real core schemas,
 * admission, server-side apply and field managers; no controllers run, so the operators stay test doubles that read
 * specs and write status through this server. Tests get an admin client (a {@code system:masters} certificate), a
 * client authenticated as any service account (a token from the TokenRequest API), fresh namespaces, and the real
 * CRDs of a chosen Flink operator and Strimzi release.
 *
 * <p>Use: {@code @ExtendWith(RealApiServer.Extension.class)} and a {@code RealApiServer} parameter.
 */
public final class RealApiServer implements AutoCloseable {

    /** System property naming the directory build.sh links: {@code <cache>/<key>/k8s} (set by the Maven build). */
    static final String BINARIES_PROPERTY = "fjr.kube-api-test.binaries";
    /** Generous for a loaded 2-core machine; a healthy start takes a few seconds. */
    private static final int STARTUP_TIMEOUT_MILLIS = 180_000;
    private static final long CRD_TIMEOUT_SECONDS = 120;

    private final Path testDir;
    private final KubeAPIServer server;
    private final Config adminConfig;
    private final KubernetesClient admin;
    private final List<KubernetesClient> clients = new ArrayList<>();
    private final AtomicInteger namespaces = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RealApiServer(Path testDir, KubeAPIServer server) {
        this.testDir = testDir;
        this.server = server;
        this.adminConfig = Config.fromKubeconfig(server.getKubeConfigYaml());
        this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    }

    /** Starts the API server from the binaries the build made; fails naming the build command when there are none. */
    static RealApiServer start() {
        String property = System.getProperty(BINARIES_PROPERTY);
        Path binaries = property == null ? null : Path.of(property);
        if (binaries == null || !Files.isDirectory(binaries)) {
            throw new IllegalStateException("no kube-apiserver/etcd binaries at " + BINARIES_PROPERTY + "="
                    + property + ": the Maven build makes them before the tests (tools/kube-apiserver/build.sh "
                    + "service/target/kube-api-test-binaries, which needs Go); run the tests through Maven or run "
                    + "that script and pass -D" + BINARIES_PROPERTY + "=<its link>");
        }
        try {
            // A fresh directory per run: kube-api-test writes its certificates there and finds the binaries under
            // k8s/<version>-<os>-<arch>/, which is the cached build linked in.
            Path testDir = Files.createTempDirectory("fjr-kube-api-test");
            Files.createSymbolicLink(testDir.resolve("k8s"), binaries.toRealPath());
            KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(testDir.toString())
                    .withOfflineMode(true)
                    // Listen on loopback only; kube-api-test adds --authorization-mode RBAC, the certificates,
                    // the service-account issuer and keys, and etcd's address.
                    .withApiServerFlag("--bind-address", "127.0.0.1")
                    .withWaitForEtcdHealthCheckOnStartup(true)
                    .withStartupTimeout(STARTUP_TIMEOUT_MILLIS)
                    .build());
            try {
                server.start();
            } catch (RuntimeException e) {
                // Do not leave etcd (or a half-started server) running behind a failed start.
                try {
                    server.stop();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            RealApiServer started = new RealApiServer(testDir, server);
            // JUnit closes it when the run ends; should the JVM exit otherwise, etcd and the server still go.
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "real-api-server-stop"));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client with every right ({@code system:masters}). */
    public KubernetesClient admin() {
        return admin;
    }

    /** Creates a new namespace {@code prefix-<n>} and returns its name. */
    public String namespace(String prefix) {
        String name = prefix + "-" + namespaces.incrementAndGet();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    /** Creates {@code namespace} unless it exists (manifests that name a fixed namespace). */
    public void ensureNamespace(String namespace) {
        if (admin.namespaces().withName(namespace).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
    }

    /**
     * A client authenticated as the service account {@code namespace/name} (which must exist) with a bound token, as
     * a pod running under it would be: it has exactly what RBAC grants that account.
     */
    public KubernetesClient serviceAccount(String namespace, String name) {
        String token = admin.serviceAccounts().inNamespace(namespace).withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(adminConfig.getMasterUrl())
                .withCaCertFile(adminConfig.getCaCertFile())
                .withCaCertData(adminConfig.getCaCertData())
                .withOauthToken(token)
                .withNamespace(namespace)
                .build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /**
     * Installs the FlinkDeployment and FlinkSessionJob CRDs of {@code release}. Another release's CRDs are updated in
     * place (they differ only in the flinkVersion enum), and this waits until the server enforces the new enum.
     */
    public synchronized void install(FlinkOperatorRelease release) {
        boolean changed = false;
        for (CustomResourceDefinition crd : release.crds()) {
            changed |= install(crd, release.version(), false);
        }
        if (changed) {
            awaitFlinkVersions(release);
        }
    }

    /**
     * Installs the KafkaTopic CRD of {@code release}. Another release's CRD is deleted first (with its KafkaTopics)
     * rather than updated: the API server refuses to drop a version objects were stored in, which is exactly what
     * going from a v1beta2-storing to a v1-only release does.
     */
    public synchronized void install(StrimziRelease release) {
        install(release.kafkaTopicCrd(), release.version(), true);
    }

    /** Creates or replaces {@code crd} unless it is installed already; waits until Established. */
    private boolean install(CustomResourceDefinition crd, String release, boolean deleteFirst) {
        var crds = admin.apiextensions().v1().customResourceDefinitions();
        String name = crd.getMetadata().getName();
        CustomResourceDefinition current = crds.withName(name).get();
        if (current != null && current.getMetadata().getAnnotations() != null
                && release.equals(current.getMetadata().getAnnotations().get(
                        FlinkOperatorRelease.RELEASE_ANNOTATION))) {
            return false;
        }
        if (current != null && deleteFirst) {
            crds.withName(name).delete();
            crds.withName(name).waitUntilCondition(Objects::isNull, CRD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            current = null;
        }
        if (current == null) {
            crds.resource(crd).create();
        } else {
            crd.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            crds.resource(crd).update();
        }
        crds.withName(name).waitUntilCondition(c -> c != null && c.getStatus() != null
                && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream().anyMatch(condition -> "Established".equals(
                        condition.getType()) && "True".equals(condition.getStatus())),
                CRD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return true;
    }

    /**
     * Waits until every flinkVersion value of any release is accepted or refused (server-side dry-run) exactly as
     * {@code release}'s enum says: the API server swaps a CRD's schema asynchronously after an update.
     */
    private void awaitFlinkVersions(FlinkOperatorRelease release) {
        Set<String> candidates = new TreeSet<>();
        for (FlinkOperatorRelease any : FlinkOperatorRelease.values()) {
            candidates.addAll(any.flinkVersions());
        }
        List<String> expected = release.flinkVersions();
        Instant until = Instant.now().plusSeconds(CRD_TIMEOUT_SECONDS);
        while (true) {
            List<String> accepted = candidates.stream().filter(this::flinkVersionAccepted).toList();
            if (new TreeSet<>(accepted).equals(new TreeSet<>(expected))) {
                return;
            }
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("the API server still accepts " + accepted + " as flinkVersion, not "
                        + "FKO " + release.version() + "'s " + expected);
            }
            Thread.onSpinWait();
        }
    }

    private boolean flinkVersionAccepted(String flinkVersion) {
        var probe = new GenericKubernetesResourceBuilder()
                .withApiVersion(CustomResourceKind.FLINK_DEPLOYMENT.apiVersion())
                .withKind(CustomResourceKind.FLINK_DEPLOYMENT.kind())
                .withNewMetadata().withName("crd-probe").withNamespace("default").endMetadata()
                .addToAdditionalProperties("spec", Map.of("flinkVersion", flinkVersion)).build();
        try {
            admin.genericKubernetesResources(KubernetesDeployer.context(CustomResourceKind.FLINK_DEPLOYMENT))
                    .inNamespace("default").resource(probe).dryRun().create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 422) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (clients) {
            clients.forEach(KubernetesClient::close);
        }
        admin.close();
        server.stop();
        try (Stream<Path> files = Files.walk(testDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Resolves {@code RealApiServer} parameters: one server for the whole test run, started by the first test that
     * asks and closed by JUnit when the run ends (the root store closes it).
     */
    public static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE =
                ExtensionContext.Namespace.create(RealApiServer.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RealApiServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(RealApiServer.class, key -> start(), RealApiServer.class);
        }
    }
}
