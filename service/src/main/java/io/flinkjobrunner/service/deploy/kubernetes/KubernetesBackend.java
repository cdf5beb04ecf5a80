package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.deploy.DeployFailedException;
import io.flinkjobrunner.service.deploy.DeployProgress;
import io.flinkjobrunner.service.deploy.DeploymentPlan;
import io.flinkjobrunner.service.deploy.DeploymentState;
import io.flinkjobrunner.service.deploy.PreflightReport;
import io.flinkjobrunner.service.config.DeployConfig;
import io.flinkjobrunner.service.deploy.DeploymentBackend;
import io.flinkjobrunner.service.deploy.DeploymentBackends;
import io.flinkjobrunner.service.deploy.DeploymentScope;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.kafka.KafkaTopicPublisher;
import io.flinkjobrunner.service.deploy.DeployFailedException.Reason;
import io.flinkjobrunner.service.deploy.DeploymentState.Phase;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploySettings;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentManifests;
import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploymentTarget;
import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.flinkjobrunner.service.deploy.kubernetes.spec.ManifestRenderer;
import io.flinkjobrunner.service.state.OwnedResource;
import io.flinkjobrunner.service.digest.Sha256;
import io.flinkjobrunner.service.semantic.SemanticDataChange;
import io.flinkjobrunner.service.semantic.SemanticDataException;
import io.flinkjobrunner.service.semantic.SemanticDataService;
import io.flinkjobrunner.service.state.JobContext;
import io.flinkjobrunner.topics.TopicPublishException;
import io.flinkjobrunner.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Deploys through the Kubernetes API: Strimzi KafkaTopics, SQL ConfigMaps and a FlinkDeployment ({@link
 * KubernetesDeployer}), with the semantic data stored in PostgreSQL and published to the deployment's topics
 * between "topics ready" and "Flink applied" ({@link SemanticDataService} with a {@link KafkaTopicPublisher} built
 * from {@code runner.deploy.kafka.*}).
 */
@ApplicationScoped
public class KubernetesBackend implements DeploymentBackend {

    private final DeployConfig config;
    private final KubernetesClients clients;
    private final SemanticDataService semanticData;
    private final Clock clock = Clock.systemUTC();

    @Inject
    KubernetesBackend(DeployConfig config, KubernetesClients clients, SemanticDataService semanticData) {
        this.config = config;
        this.clients = clients;
        this.semanticData = semanticData;
    }

    @Override
    public String name() {
        return DeploymentBackends.KUBERNETES;
    }

    @Override
    public DeploymentScope scope(String jobId, JobContext context) {
        clients.check(context.kubeContext());
        String namespace = context.namespace().orElse(config.namespace());
        new DeploymentTarget(namespace, context.deployment());
        return new DeploymentScope(jobId, context.deployment(), context.kubeContext(), Optional.of(namespace),
                context.parallelism());
    }

    @Override
    public CompileOptions compileOptions(DeploymentScope scope) {
        // a parallelism of the job context is written into the unit too (the FlinkDeployment's job.parallelism alone
        // would do on the cluster; in the unit it also holds when the unit is run elsewhere, e.g. fjr simulate)
        return new CompileOptions(Topics.defaults(scope.deployment()), config.kafka().bootstrapServers(),
                TableNames.reference()).withParallelism(scope.parallelism().orElse(0));
    }

    @Override
    public PreflightReport preflight(DeploymentScope scope) {
        List<Check> checks = new ArrayList<>();
        try {
            DeploySettings settings = config.settings();
            checks.add(new Check("configuration", true, "flinkVersion " + settings.flink().flinkVersion()
                    + " (Flink " + settings.flink().imageFlinkRelease() + "), upgrade mode "
                    + settings.flink().upgradeMode() + (settings.flink().stateDirectory() == null
                            ? " (no runner.deploy.flink.state-dir: redeploys restart without state)"
                            : ", state in " + settings.flink().stateDirectory())));
        } catch (InvalidDeploymentException e) {
            checks.add(new Check("configuration", false, e.getMessage()));
        }
        ClusterAccess cluster = new ClusterAccess(clients.client(scope.kubeContext()));
        checks.addAll(cluster.checks(namespace(scope), new ClusterAccess.Expectations(
                config.flink().version(), config.flink().serviceAccount(), config.kafka().strimziCluster())));
        checks.add(kafka());
        return new PreflightReport(checks);
    }

    @Override
    public DeploymentPlan plan(DeploymentScope scope, DeploymentUnit unit) {
        return plan(manifests(scope, unit, config.settings()));
    }

    /** {@link #plan} with the KafkaTopic version the cluster serves. */
    @Override
    public DeploymentPlan deployPlan(DeploymentScope scope, DeploymentUnit unit) {
        DeploySettings settings = config.settings();
        KubernetesDeployer deployer = new KubernetesDeployer(clients.client(scope.kubeContext()), clock);
        try {
            return plan(manifests(scope, unit, servedTopics(settings, deployer)));
        } catch (DeployFailedException | KubernetesClientException e) {
            // deploy itself reports the cluster's state; the stored plan is then the configured rendering
            return plan(scope, unit);
        }
    }

    private static DeploymentPlan plan(DeploymentManifests manifests) {
        byte[] yaml = manifests.toYaml().getBytes(StandardCharsets.UTF_8);
        return new DeploymentPlan(List.of(new DeploymentPlan.Artifact("manifests.yaml", "application/yaml", yaml)),
                Sha256.hex(yaml), manifests.scriptSha256());
    }

    /** {@code settings} with KafkaTopics in the version the cluster serves. */
    private static DeploySettings servedTopics(DeploySettings settings, KubernetesDeployer deployer)
            throws DeployFailedException {
        CustomResourceKind topics = deployer.servedKafkaTopic().orElseThrow(() -> new DeployFailedException(
                Reason.API_ERROR, "the cluster serves no KafkaTopic version this service writes (kafka.strimzi.io/v1 "
                        + "or v1beta2): install Strimzi and its CRDs; nothing was applied", List.of()));
        return new DeploySettings(settings.kafka().withApiVersion(topics.version()), settings.flink(),
                settings.configMapPartBytes());
    }

    /**
     * What must hold before anything is applied: the installed operator accepts the declared flinkVersion (when its
     * CRD is readable; otherwise the API server's own enum check refuses the FlinkDeployment) and the Flink pods'
     * service account exists.
     */
    private static void requireCluster(KubernetesClient client, String namespace, DeploySettings settings,
            DeployProgress progress) throws DeployFailedException {
        ClusterAccess access = new ClusterAccess(client);
        Check version = access.flinkVersionAccepted(settings.flink().flinkVersion());
        List<String> problems = new ArrayList<>();
        if (!version.ok() && version.detail().startsWith("cannot read the CRD")) {
            progress.log("not verified: " + version);
        } else if (!version.ok()) {
            problems.add(version.toString());
        }
        Check account = access.serviceAccount(namespace, settings.flink().serviceAccount());
        if (!account.ok()) {
            problems.add(account.toString());
        }
        if (!problems.isEmpty()) {
            throw new DeployFailedException(Reason.API_ERROR, String.join("; ", problems) + "; nothing was applied",
                    List.of());
        }
    }

    @Override
    public DeploymentState deploy(DeploymentScope scope, DeploymentUnit unit, DeployProgress progress)
            throws DeployFailedException {
        DeploySettings configured;
        try {
            configured = config.settings();
        } catch (InvalidDeploymentException e) {
            throw new DeployFailedException(Reason.API_ERROR, e.getMessage(), List.of());
        }
        KubernetesClient client = clients.client(scope.kubeContext());
        KubernetesDeployer deployer = new KubernetesDeployer(client, clock);
        DeploymentManifests manifests;
        try {
            DeploySettings settings = servedTopics(configured, deployer);
            requireCluster(client, namespace(scope), settings, progress);
            manifests = manifests(scope, unit, settings);
        } catch (KubernetesClientException e) {
            throw new DeployFailedException(Reason.API_ERROR, "Kubernetes API error: " + e.getMessage()
                    + "; nothing was applied", List.of());
        }
        progress.log("KafkaTopics as " + manifests.kafkaTopics().stream().map(t -> t.getApiVersion()).findFirst()
                .orElse("(none)") + " (what the cluster serves)");
        KafkaTopicPublisher publisher;
        try {
            publisher = new KafkaTopicPublisher(kafkaClientProperties(), config.kafka().publishTimeout());
        } catch (TopicPublishException e) {
            throw new DeployFailedException(Reason.SEMANTIC_DATA, e.getMessage() + "; nothing was applied",
                    List.of());
        }
        try (publisher) {
            KubernetesDeployer.DeployOutcome outcome = deployer.deploy(manifests,
                    createdTopics -> {
                        SemanticDataChange change;
                        try {
                            change = semanticData.replace(scope.deployment(), unit.semanticData(), unit.topics(),
                                    createdTopics, publisher, progress.fencingToken());
                        } catch (SemanticDataException e) {
                            throw new DeployFailedException(Reason.SEMANTIC_DATA, e.getMessage(), List.of());
                        }
                        progress.log("semantic data stored and published: " + change.summary());
                        return change.undo();
                    }, config.deadline(), progress);
            String what = manifests.flinkKind().kind() + "/" + manifests.flinkResource().getMetadata().getName();
            Map<String, Object> fields = new LinkedHashMap<>(outcome.status().asEvent());
            fields.put("resource", what);
            fields.put("resources", outcome.applied().stream().map(OwnedResource::toString).toList());
            if (!outcome.removed().isEmpty()) {
                progress.log("removed objects of the previous version: " + outcome.removed());
            }
            return new DeploymentState(Phase.RUNNING, what + ": " + outcome.status().describe(), fields);
        } catch (KubernetesClientException e) {
            throw new DeployFailedException(Reason.API_ERROR, "Kubernetes API error: " + e.getMessage(), List.of());
        }
    }

    @Override
    public DeploymentState undeploy(DeploymentScope scope, DeployProgress progress) throws DeployFailedException {
        KubernetesClient client = clients.client(scope.kubeContext());
        List<OwnedResource> removed;
        try {
            removed = new KubernetesDeployer(client, clock).undeploy(namespace(scope), scope.deployment(),
                    config.savepointOnUndeploy(), config.deadline(), progress);
        } catch (KubernetesClientException e) {
            throw new DeployFailedException(Reason.API_ERROR, "Kubernetes API error: " + e.getMessage()
                    + "; the deployment's objects may be partly deleted, run undeploy again", List.of());
        }
        try {
            semanticData.drop(scope.deployment(), progress.fencingToken());
        } catch (SemanticDataException e) {
            throw new DeployFailedException(Reason.SEMANTIC_DATA, e.getMessage() + "; the cluster objects were "
                    + "removed (" + removed + "), only the stored semantic data is left; run undeploy again",
                    List.of());
        }
        progress.log("dropped the stored semantic data of " + scope.describe());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("removed", removed.stream().map(OwnedResource::toString).toList());
        return new DeploymentState(Phase.ABSENT, removed.isEmpty() ? "nothing of the deployment was on the cluster"
                : "removed " + removed.size() + " object(s): " + removed, fields);
    }

    private DeploymentManifests manifests(DeploymentScope scope, DeploymentUnit unit, DeploySettings settings) {
        CompileOptions expected = compileOptions(scope);
        if (!unit.topics().equals(expected.topics()) || !unit.bootstrapServers().equals(expected.bootstrapServers())) {
            throw new InvalidDeploymentException("the unit was compiled for topics " + unit.topics().rdf() + ", … on "
                    + unit.bootstrapServers() + ", but " + scope.describe() + " uses " + expected.topics().rdf()
                    + ", … on " + expected.bootstrapServers() + "; compile it with the backend's compile options");
        }
        DeploySettings scoped = scope.parallelism().map(p -> new DeploySettings(settings.kafka(),
                settings.flink().withParallelism(p), settings.configMapPartBytes())).orElse(settings);
        return ManifestRenderer.render(new DeploymentTarget(namespace(scope), scope.deployment()), scoped,
                unit.script(), unit.topics());
    }

    private static String namespace(DeploymentScope scope) {
        return scope.namespace().orElseThrow(() -> new IllegalArgumentException(
                "a Kubernetes deployment needs a namespace: " + scope.describe()));
    }

    /** The producer's properties: bootstrap servers, then the properties file, then {@code client.*}. */
    Map<String, String> kafkaClientProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        config.kafka().clientPropertiesFile().ifPresent(file -> {
            Properties fromFile = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                fromFile.load(reader);
            } catch (IOException e) {
                throw new TopicPublishException("cannot read the Kafka client properties file " + file + ": "
                        + e.getMessage(), e);
            }
            fromFile.stringPropertyNames().forEach(name -> properties.put(name, fromFile.getProperty(name)));
        });
        properties.putAll(config.kafka().client());
        return properties;
    }

    /** Kafka reachable with the service's client settings (the semantic data is published there). */
    private Check kafka() {
        Map<String, String> properties;
        try {
            properties = kafkaClientProperties();
        } catch (TopicPublishException e) {
            return new Check("Kafka client settings", false, e.getMessage());
        }
        String bootstrap = properties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        String name = "Kafka at " + bootstrap;
        Map<String, Object> adminProperties = new LinkedHashMap<>(properties);
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.kafka().publishTimeout().toMillis());
        adminProperties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        adminProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        try (Admin admin = Admin.create(adminProperties)) {
            String cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout)).clusterId()
                    .get(timeout, TimeUnit.MILLISECONDS);
            return new Check(name, true, "reachable (cluster " + cluster + ")");
        } catch (ExecutionException e) {
            return new Check(name, false, "unreachable: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return new Check(name, false, "no answer within " + config.kafka().publishTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(name, false, "interrupted");
        } catch (RuntimeException e) {
            return new Check(name, false, "invalid client settings: " + e.getMessage());
        }
    }
}
