package io.flinkjobrunner.service.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.RequiredPermission;
import io.flinkjobrunner.service.packaging.ServiceManifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kubernetes API server for the cluster tests: kube-apiserver and etcd built from their official Go modules
 * (tools/kube-apiserver, pinned in its go.mod; the Maven build runs its build.sh before the tests), started through
 * fabric8's kube-api-test in offline mode, once per test JVM, and stopped when the JVM exits.
 *
 * <p>It runs with RBAC authorization (kube-api-test passes {@code --authorization-mode RBAC}), the real core schemas,
 * admission (webhooks included), server-side apply and field managers; no controllers run, so the operators stay test
 * doubles that read specs and write status through this server, and a deleted namespace never finishes deleting (each
 * test takes fresh namespaces instead). Tests get an admin client (a {@code system:masters} certificate), a client
 * authenticated as any service account (a token from the TokenRequest API), the service's chart installed in a
 * namespace, and the real CRDs of a chosen Flink operator and Strimzi release.
 *
 * <p>One server per JVM, whatever the class loader: JUnit tests resolve it with {@link Extension} (or
 * {@link RealApiServerTest}), and the Quarkus tests' resource reaches the same server ({@link #shared()}), since its
 * classes may be loaded again by Quarkus' class loader: the started server is published as a system property naming
 * its admin kubeconfig, and a second loader attaches to it.
 */
public final class RealApiServer {

    /** The JUnit tag of every test class that runs against the real API server. */
    public static final String TAG = "api-server";
    /** System property naming the directory build.sh links: {@code <cache>/<key>/k8s} (set by the Maven build). */
    static final String BINARIES_PROPERTY = "fjr.kube-api-test.binaries";
    /** System property naming the running server's admin kubeconfig, shared by every class loader of the JVM. */
    private static final String KUBECONFIG_PROPERTY = "fjr.kube-api-test.running-kubeconfig";
    /** Generous for a loaded 2-core machine; a healthy start takes a few seconds. */
    private static final int STARTUP_TIMEOUT_MILLIS = 180_000;
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(120);
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RealApiServer shared;

    private final String adminKubeconfig;
    private final Config adminConfig;
    private final KubernetesClient admin;
    private int namespaces;

    private RealApiServer(String kubeconfigYaml) {
        this.adminKubeconfig = kubeconfigYaml;
        this.adminConfig = Config.fromKubeconfig(kubeconfigYaml);
        this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    }

    /**
     * The JVM's server: started from the binaries the build made on first use (failing with the build command when
     * there are none), or attached to when another class loader started it.
     */
    public static RealApiServer shared() {
        // The lock of a JDK class is one lock for every class loader of the test JVM.
        synchronized (System.class) {
            if (shared == null) {
                String running = System.getProperty(KUBECONFIG_PROPERTY);
                try {
                    shared = new RealApiServer(running != null ? Files.readString(Path.of(running)) : start());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return shared;
        }
    }

    /** Starts kube-apiserver and etcd; returns the admin kubeconfig, also published for other class loaders. */
    private static String start() throws IOException {
        String property = System.getProperty(BINARIES_PROPERTY);
        Path binaries = property == null ? null : Path.of(property);
        if (binaries == null || !Files.isDirectory(binaries)) {
            throw new IllegalStateException("no kube-apiserver/etcd binaries at " + BINARIES_PROPERTY + "="
                    + property + ": the Maven build makes them before the tests (tools/kube-apiserver/build.sh "
                    + "service/target/kube-api-test-binaries, which needs Go); run the tests through Maven or run "
                    + "that script and pass -D" + BINARIES_PROPERTY + "=<its link>");
        }
        // A fresh directory per run: kube-api-test writes its certificates there and finds the binaries under
        // k8s/<version>-<os>-<arch>/, which is the cached build linked in.
        Path testDir = Files.createTempDirectory("fjr-kube-api-test");
        Files.createSymbolicLink(testDir.resolve("k8s"), binaries.toRealPath());
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir.toString())
                .withOfflineMode(true)
                // Listen on loopback only; kube-api-test adds --authorization-mode RBAC, the certificates, the
                // service-account issuer and keys, and etcd's address.
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
        // Stopped when the JVM exits. The hook uses JDK classes only (the processes' handles, taken now): the class
        // loader that started the server may be closed by then (Quarkus closes its loaders after each test class).
        List<ProcessHandle> processes = ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("/etcd") || c.endsWith("/kube-apiserver"))
                        .orElse(false))
                .toList();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            processes.forEach(ProcessHandle::destroyForcibly);
            try (Stream<Path> files = Files.walk(testDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // Best effort: a temporary directory.
            }
        }, "real-api-server-stop"));
        String kubeconfig = server.getKubeConfigYaml();
        Path published = testDir.resolve("admin.kubeconfig");
        Files.writeString(published, kubeconfig);
        System.setProperty(KUBECONFIG_PROPERTY, published.toString());
        return kubeconfig;
    }

    /** A client with every right ({@code system:masters}). */
    public KubernetesClient admin() {
        return admin;
    }

    /** The admin's kubeconfig (YAML): what kubectl needs to act as {@link #admin()}. */
    public String adminKubeconfig() {
        return adminKubeconfig;
    }

    /** The server's URL. */
    public String url() {
        return adminConfig.getMasterUrl();
    }

    /** The kubectl built with the server (kube-api-test runs it too). */
    public static Path kubectl() {
        try (Stream<Path> files = Files.walk(Path.of(System.getProperty(BINARIES_PROPERTY)).toRealPath())) {
            return files.filter(p -> p.getFileName().toString().equals("kubectl")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no kubectl among the built binaries"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a new namespace {@code prefix-<n>} and returns its name. */
    public synchronized String namespace(String prefix) {
        String name;
        do {
            name = prefix + "-" + ++namespaces;
        } while (admin.namespaces().withName(name).get() != null);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    /**
     * A new namespace with the {@code flink} service account the Flink pods run as, which the FKO chart creates in
     * the namespaces its operator watches.
     */
    public String flinkNamespace(String prefix) {
        String namespace = namespace(prefix);
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("flink").endMetadata().build()).create();
        return namespace;
    }

    /** Creates {@code namespace} unless it exists (manifests that name a fixed namespace). */
    public void ensureNamespace(String namespace) {
        if (admin.namespaces().withName(namespace).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
    }

    /** A bound token of the service account {@code namespace/name} (which must exist), valid for a day. */
    public String token(String namespace, String name) {
        return admin.serviceAccounts().inNamespace(namespace).withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(86_400L).endSpec()
                        .build())
                .getStatus().getToken();
    }

    /**
     * A client authenticated as the service account {@code namespace/name} with a bound token, as a pod running under
     * it would be: it has exactly what RBAC grants that account.
     */
    public KubernetesClient serviceAccount(String namespace, String name) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(adminConfig.getMasterUrl())
                .withCaCertFile(adminConfig.getCaCertFile())
                .withCaCertData(adminConfig.getCaCertData())
                .withOauthToken(token(namespace, name))
                .withNamespace(namespace)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * A kubeconfig (YAML) with one context {@code context} that reaches this server as the service account
     * {@code namespace/name}, namespace {@code namespace}: what the service reads in a cluster.
     */
    public String kubeconfig(String context, String namespace, String name) {
        String ca = adminConfig.getCaCertData() != null ? adminConfig.getCaCertData()
                : readBase64(adminConfig.getCaCertFile());
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: real
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: %s
                  context:
                    cluster: real
                    user: %s
                    namespace: %s
                current-context: %s
                """.formatted(adminConfig.getMasterUrl(), ca, name, token(namespace, name), context, name, namespace,
                context);
    }

    private static String readBase64(String file) {
        try {
            return java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service's chart installed in a namespace: its service account and its RBAC objects as rendered. */
    public record Chart(String namespace, String serviceAccount, Role role, ClusterRole clusterRole) {
    }

    /**
     * The chart {@link #installChart} installed in {@code namespace} for {@code serviceAccount}: its Role and
     * ClusterRole read back (as rendered, unless a test revoked something and did not restore it).
     */
    public Chart installedChart(String namespace, String serviceAccount) {
        var binding = admin.rbac().roleBindings().inNamespace(namespace).list().getItems().stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> serviceAccount.equals(s.getName())))
                .findFirst().orElseThrow(() -> new IllegalStateException("no RoleBinding of " + serviceAccount));
        var clusterBinding = admin.rbac().clusterRoleBindings().list().getItems().stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> serviceAccount.equals(s.getName())
                        && namespace.equals(s.getNamespace())))
                .findFirst().orElseThrow(() -> new IllegalStateException("no ClusterRoleBinding of " + serviceAccount));
        return new Chart(namespace, serviceAccount,
                admin.rbac().roles().inNamespace(namespace).withName(binding.getRoleRef().getName()).get(),
                admin.rbac().clusterRoles().withName(clusterBinding.getRoleRef().getName()).get());
    }

    /**
     * Sets the chart's Role and ClusterRole to the rendered rules without {@code missing} (an empty list: as
     * rendered); returns once the authorizer answers the service account's access reviews accordingly.
     */
    public void revoke(Chart chart, List<RequiredPermission> missing) {
        admin.rbac().roles().inNamespace(chart.namespace()).withName(chart.role().getMetadata().getName())
                .edit(role -> {
                    role.setRules(rulesWithout(chart.role().getRules(), missing));
                    return role;
                });
        admin.rbac().clusterRoles().withName(chart.clusterRole().getMetadata().getName()).edit(role -> {
            role.setRules(rulesWithout(chart.clusterRole().getRules(), missing));
            return role;
        });
        try (KubernetesClient client = serviceAccount(chart.namespace(), chart.serviceAccount())) {
            int granted = RequiredPermission.all().size() + RequiredPermission.clusterScoped().size()
                    - missing.size();
            await("RBAC grants " + granted + " permissions, all but " + missing, () -> {
                List<Check> checks = new ClusterAccess(client).permissions(chart.namespace());
                return checks.stream().filter(Check::ok).count() == granted
                        && checks.stream().filter(c -> !c.ok()).allMatch(c -> missing.stream()
                                .anyMatch(m -> c.name().startsWith(m + " ")));
            });
        }
    }

    /** The chart's Role and ClusterRole as rendered again. */
    public void restore(Chart chart) {
        revoke(chart, List.of());
    }

    /** {@code rules} with the {@code missing} permissions removed, one rule per group, resource (and name). */
    private static List<PolicyRule> rulesWithout(List<PolicyRule> rules, List<RequiredPermission> missing) {
        List<PolicyRule> narrowed = new ArrayList<>();
        for (PolicyRule rule : rules) {
            List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                    ? Collections.singletonList(null) : rule.getResourceNames();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String name : names) {
                        List<String> verbs = rule.getVerbs().stream()
                                .filter(v -> !missing.contains(new RequiredPermission(group, resource, v, name)))
                                .toList();
                        if (!verbs.isEmpty()) {
                            var narrow = new PolicyRuleBuilder().withApiGroups(group).withResources(resource)
                                    .withVerbs(verbs);
                            if (name != null) {
                                narrow.withResourceNames(name);
                            }
                            narrowed.add(narrow.build());
                        }
                    }
                }
            }
        }
        return narrowed;
    }

    /**
     * Installs the Helm chart (default values and the documented required ones) into {@code namespace}: service
     * account, Role, RoleBinding, the ClusterRole of the one CRD and its binding, Deployment, Service. Returns once
     * RBAC grants the service account every permission deploy needs (the authorizer's cache follows bindings
     * asynchronously).
     */
    public Chart installChart(String namespace) {
        String serviceAccount = null;
        Role role = null;
        ClusterRole clusterRole = null;
        try {
            for (JsonNode document : ServiceManifests.documents(ServiceManifests.helmTemplate(namespace, Map.of()))) {
                HasMetadata object = SERIALIZATION.convertValue(document, HasMetadata.class);
                admin.resource(object).create();
                if (object instanceof Role r) {
                    role = r;
                } else if (object instanceof ClusterRole r) {
                    clusterRole = r;
                } else if (object.getKind().equals("ServiceAccount")) {
                    serviceAccount = object.getMetadata().getName();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Chart chart = new Chart(namespace, Objects.requireNonNull(serviceAccount, "the chart's ServiceAccount"),
                Objects.requireNonNull(role, "the chart's Role"),
                Objects.requireNonNull(clusterRole, "the chart's ClusterRole"));
        try (KubernetesClient client = serviceAccount(namespace, serviceAccount)) {
            await("RBAC grants the chart's service account in " + namespace + " every permission deploy needs",
                    () -> new ClusterAccess(client).permissions(namespace).stream().allMatch(Check::ok));
        }
        return chart;
    }

    /**
     * Installs the FlinkDeployment and FlinkSessionJob CRDs of {@code release}. Another release's CRDs are updated in
     * place (they differ only in the flinkVersion enum), and this waits until the server enforces the new enum.
     */
    public synchronized void install(Fko release) {
        boolean changed = false;
        for (CustomResourceDefinition crd : release.crds()) {
            changed |= install(crd, release.release(), false);
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
    public synchronized void install(Strimzi release) {
        install(release.kafkaTopicCrd(), release.release(), true);
        // Discovery of the group follows the CRD asynchronously: wait until it lists exactly the served versions.
        await("discovery serves exactly KafkaTopic " + release.servedVersions(), () -> Stream.of(Strimzi.values())
                .flatMap(r -> r.servedVersions().stream()).distinct()
                .allMatch(v -> release.servedVersions().contains(v)
                        == served(CustomResourceKind.STRIMZI_GROUP + "/" + v, "kafkatopics")));
    }

    /**
     * Removes the Flink operator's CRDs, as uninstalling the operator with its CRDs does. FlinkDeployments left by
     * earlier tests keep the operator's finalizer (their double stopped), which would hold the CRDs' deletion: it is
     * removed first, as the real operator does on its way out.
     */
    public synchronized void uninstallFlinkOperator() {
        for (CustomResourceKind kind : List.of(CustomResourceKind.FLINK_DEPLOYMENT,
                CustomResourceKind.FLINK_SESSION_JOB)) {
            uninstall(kind);
        }
    }

    /** Removes the KafkaTopic CRD (and with it every KafkaTopic). */
    public synchronized void uninstallStrimzi() {
        uninstall(CustomResourceKind.KAFKA_TOPIC);
    }

    private void uninstall(CustomResourceKind kind) {
        deleteCrd(kind.crdName());
        await("discovery drops " + kind.crdName(), () -> !served(kind.apiVersion(), kind.plural()));
    }

    /**
     * Deletes a CRD and waits until it is gone. The API server deletes its objects first and keeps the CRD while any
     * of them has a finalizer: objects left by earlier tests whose operator double stopped (the FKO finalizer of a
     * FlinkDeployment) would hold it for ever, so their finalizers are removed first, as the real operator does on
     * its way out. If the CRD still stays, the failure says why (its conditions, e.g. InstanceDeletionInProgress).
     */
    private void deleteCrd(String crdName) {
        releaseFinalizers(crdName);
        var crds = admin.apiextensions().v1().customResourceDefinitions();
        crds.withName(crdName).delete();
        try {
            crds.withName(crdName).waitUntilCondition(Objects::isNull, CHANGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (KubernetesClientException e) {
            CustomResourceDefinition stuck = crds.withName(crdName).get();
            throw new IllegalStateException("CRD " + crdName + " not deleted within " + CHANGE_TIMEOUT + ": "
                    + (stuck == null || stuck.getStatus() == null ? "no status" : stuck.getStatus().getConditions())
                    + ", finalizers " + (stuck == null ? "none" : stuck.getMetadata().getFinalizers()), e);
        }
    }

    /** Removes the finalizers of every object of the CRD named {@code crdName}, through a version it serves. */
    private void releaseFinalizers(String crdName) {
        for (CustomResourceKind kind : List.of(CustomResourceKind.FLINK_DEPLOYMENT,
                CustomResourceKind.FLINK_SESSION_JOB, CustomResourceKind.KAFKA_TOPIC,
                CustomResourceKind.KAFKA_TOPIC_V1)) {
            if (!kind.crdName().equals(crdName) || !served(kind.apiVersion(), kind.plural())) {
                continue;
            }
            var objects = admin.genericKubernetesResources(KubernetesDeployer.context(kind));
            for (GenericKubernetesResource object : objects.inAnyNamespace().list().getItems()) {
                if (object.getMetadata().getFinalizers() != null && !object.getMetadata().getFinalizers().isEmpty()) {
                    try {
                        objects.inNamespace(object.getMetadata().getNamespace())
                                .withName(object.getMetadata().getName())
                                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
                    } catch (KubernetesClientException gone) {
                        // Deleted meanwhile.
                    }
                }
            }
            return;
        }
    }

    /** Whether discovery lists {@code plural} in {@code groupVersion} (a version nobody serves is a 404). */
    private boolean served(String groupVersion, String plural) {
        try {
            var resources = admin.getApiResources(groupVersion);
            return resources != null && resources.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Creates or replaces {@code crd} unless it is installed already; waits until Established. */
    private boolean install(CustomResourceDefinition crd, String release, boolean deleteFirst) {
        var crds = admin.apiextensions().v1().customResourceDefinitions();
        String name = crd.getMetadata().getName();
        CustomResourceDefinition current = crds.withName(name).get();
        if (current != null && current.getMetadata().getAnnotations() != null
                && release.equals(current.getMetadata().getAnnotations().get(OperatorRelease.RELEASE_ANNOTATION))) {
            return false;
        }
        if (current != null && deleteFirst) {
            deleteCrd(name);
            current = null;
        }
        if (current == null) {
            crds.resource(crd).create();
        } else {
            crd.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            crds.resource(crd).update();
        }
        crds.withName(name).waitUntilCondition(c -> c != null && c.getStatus() != null
                && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                        .anyMatch(condition -> "Established".equals(condition.getType())
                                && "True".equals(condition.getStatus())),
                CHANGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return true;
    }

    /**
     * Waits until every flinkVersion value of any release is accepted or refused (server-side dry-run) exactly as
     * {@code release}'s enum says: the API server swaps a CRD's schema asynchronously after an update.
     */
    private void awaitFlinkVersions(Fko release) {
        Set<String> candidates = new TreeSet<>();
        for (Fko any : Fko.values()) {
            candidates.addAll(any.flinkVersions());
        }
        Set<String> expected = new TreeSet<>(release.flinkVersions());
        await("the API server enforces FKO " + release.release() + "'s flinkVersion values " + expected,
                () -> new TreeSet<>(candidates.stream().filter(this::flinkVersionAccepted).toList())
                        .equals(expected));
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

    /**
     * Waits until {@code condition} holds, polling every 50 ms, at most {@link #CHANGE_TIMEOUT}: what the server
     * does asynchronously (CRD schemas, discovery, RBAC caches, webhook registrations) settles in well under a
     * second when idle, far longer on a loaded machine.
     */
    public static void await(String what, BooleanSupplier condition) {
        Instant until = Instant.now().plus(CHANGE_TIMEOUT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("not within " + CHANGE_TIMEOUT + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }

    /**
     * Whether {@code stored} is {@code rendered} as the API server keeps it: the same JSON, numbers equal by value
     * (the server writes the rendered {@code 1.0} CPUs as {@code 1}), field order free.
     */
    public static boolean storedAsRendered(Object rendered, Object stored) {
        JsonNode expected = JSON.valueToTree(SERIALIZATION.convertValue(rendered, Object.class));
        JsonNode actual = JSON.valueToTree(SERIALIZATION.convertValue(stored, Object.class));
        Comparator<JsonNode> numbersByValue = (a, b) -> a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue()) : (a.equals(b) ? 0 : 1);
        return expected.equals(numbersByValue, actual);
    }

    /** Resolves {@code RealApiServer} parameters with the JVM's one server ({@link #shared()}). */
    public static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RealApiServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return shared();
        }
    }
}
