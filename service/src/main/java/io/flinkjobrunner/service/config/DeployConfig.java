package io.flinkjobrunner.service.config;

import io.flinkjobrunner.service.deploy.kubernetes.spec.DeploySettings;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkSettings;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkVersions;
import io.flinkjobrunner.service.deploy.kubernetes.spec.KafkaTopicSettings;
import io.flinkjobrunner.service.deploy.kubernetes.spec.ResourceRequest;
import io.flinkjobrunner.service.deploy.kubernetes.spec.UpgradeMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Deploying to a cluster (env {@code RUNNER_DEPLOY_*}); off by default, when deploy goes to the local engine. */
@ConfigMapping(prefix = "runner.deploy")
public interface DeployConfig {

    /** Deploy through the Kubernetes API (Flink operator, Strimzi); false: the local engine. */
    @WithName("kubernetes-enabled")
    @WithDefault("false")
    boolean kubernetesEnabled();

    /**
     * Kubeconfig file holding the contexts a job may name in {@code context.kubeContext}. Without it,
     * {@code $KUBECONFIG} or {@code ~/.kube/config} is used if present; with no kubeconfig at all the service uses its
     * in-cluster service account and refuses jobs that name a context.
     */
    Optional<java.nio.file.Path> kubeconfig();

    /** Namespace used when a job's context names none. */
    @WithDefault("default")
    String namespace();

    /** Longest a deploy or undeploy waits for the operators before it fails and rolls back. */
    @WithDefault("10m")
    Duration deadline();

    /**
     * With upgrade mode savepoint: suspend with a savepoint before undeploy deletes the Flink resource. Other upgrade
     * modes take no savepoint on undeploy (the operator would reject one without a savepoint directory).
     */
    @WithName("savepoint-on-undeploy")
    @WithDefault("true")
    boolean savepointOnUndeploy();

    /**
     * How often the readiness check's cached cluster answers (API reachable, permissions granted) are refreshed in the
     * background; the probe itself only reads the cache.
     */
    @WithName("readiness-refresh")
    @WithDefault("30s")
    Duration readinessRefresh();

    /** Largest SQL part per ConfigMap, in bytes. */
    @WithName("config-map-part-bytes")
    @WithDefault("921600")
    int configMapPartBytes();

    /** KafkaTopic rendering. */
    Kafka kafka();

    /** Flink resource rendering. */
    Flink flink();

    /** KafkaTopic settings and the service's Kafka client. */
    interface Kafka {
        /**
         * Kafka bootstrap servers as Flink sees them: written into the compiled SQL, and where the service publishes
         * the semantic data unless {@code client."bootstrap.servers"} says otherwise.
         */
        @WithName("bootstrap-servers")
        @WithDefault("my-cluster-kafka-bootstrap:9092")
        String bootstrapServers();

        /**
         * Kafka client properties of the service's producer, e.g. {@code client."security.protocol"=SASL_SSL}; they
         * override {@link #clientPropertiesFile()}. Never logged.
         */
        Map<String, String> client();

        /** A Kafka client properties file (e.g. mounted from a Secret) read before {@link #client()}. */
        @WithName("client-properties-file")
        Optional<java.nio.file.Path> clientPropertiesFile();

        /** Longest wait for the broker to acknowledge one publish of semantic data. */
        @WithName("publish-timeout")
        @WithDefault("60s")
        Duration publishTimeout();

        /** Strimzi cluster label of the topics. */
        @WithName("strimzi-cluster")
        @WithDefault("my-cluster")
        String strimziCluster();

        /** Partitions of created topics. */
        @WithDefault("1")
        int partitions();

        /** Replicas of created topics. */
        @WithDefault("1")
        int replicas();

        /** retention.ms of platform topics the service creates. */
        Optional<Duration> retention();

        /** Create the NGSI-LD and alert topics too (default: the platform owns them). */
        @WithName("create-platform-topics")
        @WithDefault("false")
        boolean createPlatformTopics();

        /** Extra topic configuration. */
        @WithName("topic-config")
        Map<String, String> topicConfig();

        /**
         * KafkaTopic API version {@code plan} renders ({@code v1beta2}: Strimzi 0.40–0.49, what the platform runs;
         * {@code v1}: Strimzi 0.49 and 1.x). {@code deploy} uses what the cluster serves, {@code v1} preferred.
         */
        @WithName("topic-api-version")
        @WithDefault("v1beta2")
        String topicApiVersion();
    }

    /** Flink settings. */
    interface Flink {
        /** Only {@code application} (own FlinkDeployment per deployment); {@code session} is refused with the reason. */
        @WithDefault("application")
        String mode();

        /**
         * The operator's flinkVersion: the image's Flink release ({@code v2_2} for the Flink 2.2.1 image built from
         * docker/flink/Dockerfile, accepted by FKO 1.13–1.15). Another value is refused unless
         * {@link #imageFlinkVersion()} declares a custom image of that release.
         */
        @WithDefault("v2_2")
        String version();

        /**
         * The Flink release a custom {@link #image()} runs (e.g. {@code 2.1.1}); default: this build's release, the one
         * docker/flink/Dockerfile builds. {@link #version()} must name the same major and minor.
         */
        @WithName("image-flink-version")
        Optional<String> imageFlinkVersion();

        /** Image built from docker/flink/Dockerfile. */
        @WithDefault("ghcr.io/flink-job-runner/flink-job-runner-flink:0.1.0")
        String image();

        /** Image pull policy. */
        @WithName("image-pull-policy")
        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** Service account of the Flink pods. */
        @WithName("service-account")
        @WithDefault("flink")
        String serviceAccount();

        /** JobManager cores. */
        @WithName("jobmanager-cpu")
        @WithDefault("1")
        double jobManagerCpu();

        /** JobManager memory. */
        @WithName("jobmanager-memory")
        @WithDefault("1024m")
        String jobManagerMemory();

        /** TaskManager cores. */
        @WithName("taskmanager-cpu")
        @WithDefault("1")
        double taskManagerCpu();

        /** TaskManager memory. */
        @WithName("taskmanager-memory")
        @WithDefault("2048m")
        String taskManagerMemory();

        /** Job parallelism. */
        @WithDefault("1")
        int parallelism();

        /**
         * stateless, last-state or savepoint. Default: savepoint when {@link #stateDir()} is set, else stateless (the
         * operator accepts savepoint and last-state only with checkpoint and savepoint directories).
         */
        @WithName("upgrade-mode")
        Optional<String> upgradeMode();

        /**
         * Longest a network buffer inside the job waits to fill before it is sent ({@code execution.buffer-timeout},
         * written into every compiled unit, so it holds on the local engine and in the cluster alike): lower answers
         * faster, higher processes more per second; 0 sends every record at once (CompileOptions.DEFAULT_BUFFER_TIMEOUT
         * says why that is the default). Flink's own default is 100 ms, paid once per exchange.
         */
        @WithName("buffer-timeout")
        @WithDefault("0ms")
        Duration bufferTimeout();

        /**
         * How long a change of an alert (raised, changed, cleared) waits for its own reversal before the job publishes
         * it to the alerts topic (written into every compiled unit as the {@code alerts_bulk} sink's
         * {@code settle.window}): one entity change reaches the checks as several rows, and a check that fires only
         * until the last of them arrives is never published. The window ends only once the job's sources have read
         * past it, so it covers how far apart the platform writes one entity's records, not how far the job lags.
         * 0 publishes every change at once (alerts may flap).
         */
        @WithName("settle-window")
        @WithDefault("50ms")
        Duration settleWindow();

        /** Checkpoint interval. */
        @WithName("checkpoint-interval")
        @WithDefault("60s")
        Duration checkpointInterval();

        /**
         * Base URI for checkpoints, savepoints and HA metadata (e.g. {@code s3://flink/state}); the Flink pods get the
         * filesystem plugin its scheme needs.
         */
        @WithName("state-dir")
        Optional<String> stateDir();

        /** jarURI of the sql-runner. */
        @WithName("runner-jar-uri")
        @WithDefault("local:///opt/flink/usrlib/fjr-sql-runner.jar")
        String runnerJarUri();

        /** Mount path of the SQL parts. */
        @WithName("sql-dir")
        @WithDefault("/opt/flink/sql")
        String sqlDir();

        /** Extra flinkConfiguration entries. */
        Map<String, String> configuration();
    }

    /**
     * The pure settings the renderer takes.
     *
     * @throws io.flinkjobrunner.service.problems.InvalidDeploymentException for a configuration the operator or
     *     the image cannot run (session mode, a flinkVersion other than the image's, …), saying what to change
     */
    default DeploySettings settings() {
        Kafka k = kafka();
        Flink f = flink();
        FlinkSettings.requireApplicationMode(f.mode());
        UpgradeMode upgradeMode = f.upgradeMode().map(UpgradeMode::parse)
                .orElse(f.stateDir().filter(d -> !d.isBlank()).isPresent() ? UpgradeMode.SAVEPOINT
                        : UpgradeMode.STATELESS);
        return new DeploySettings(
                new KafkaTopicSettings(k.strimziCluster(), k.partitions(), k.replicas(), k.retention().orElse(null),
                        k.createPlatformTopics(), k.topicConfig(), k.topicApiVersion()),
                new FlinkSettings(f.version(), f.imageFlinkVersion().orElse(FlinkVersions.runtime()), f.image(),
                        f.imagePullPolicy(), f.serviceAccount(), new ResourceRequest(f.jobManagerCpu(),
                                f.jobManagerMemory()),
                        new ResourceRequest(f.taskManagerCpu(), f.taskManagerMemory()), f.parallelism(),
                        upgradeMode, f.checkpointInterval(), f.stateDir().orElse(null),
                        f.runnerJarUri(), f.sqlDir(), f.configuration()),
                configMapPartBytes());
    }
}
