package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the Flink custom resource of a deployment is rendered.
 *
 * <p>Every deployment runs in application mode: its own FlinkDeployment whose JobManager runs the sql-runner from the
 * image on the SQL mounted from ConfigMaps. Session mode (a FlinkSessionJob on a shared cluster) is not offered: the
 * operator fetches a session job's jar itself (there is no {@code local://} there) and the shared cluster's pods
 * cannot read this service's SQL ConfigMaps, so such a job could never start.
 *
 * @param flinkVersion the operator's {@code spec.flinkVersion}, e.g. {@code v2_2}; must be the image's release
 * @param imageFlinkRelease the Flink release the image runs, e.g. {@code 2.2.1} (names the filesystem plugins)
 * @param image Flink image with the sql-runner and the connectors (docker/flink/Dockerfile)
 * @param imagePullPolicy Kubernetes image pull policy
 * @param serviceAccount service account of the Flink pods (needs the operator's Flink RBAC, not this service's)
 * @param jobManager JobManager resources
 * @param taskManager TaskManager resources
 * @param parallelism job parallelism
 * @param upgradeMode how redeploys and suspends stop the running job
 * @param checkpointInterval checkpoint interval; {@code null} disables checkpointing (only allowed when stateless)
 * @param stateDirectory durable base URI for checkpoints and savepoints (e.g. {@code s3://flink/state}); a
 *     per-deployment path is appended; {@code null} leaves {@code state.*.dir} to the image's configuration
 * @param runnerJarUri {@code jarURI} of the sql-runner inside the image
 * @param sqlDirectory where the SQL parts are mounted inside the JobManager
 * @param flinkConfiguration further entries of {@code spec.flinkConfiguration}; they win over the rendered ones
 */
public record FlinkSettings(
        String flinkVersion,
        String imageFlinkRelease,
        String image,
        String imagePullPolicy,
        String serviceAccount,
        ResourceRequest jobManager,
        ResourceRequest taskManager,
        int parallelism,
        UpgradeMode upgradeMode,
        Duration checkpointInterval,
        String stateDirectory,
        String runnerJarUri,
        String sqlDirectory,
        Map<String, String> flinkConfiguration) {

    /** The sql-runner's main class, the job's {@code entryClass}. */
    public static final String RUNNER_CLASS = "io.flinkjobrunner.runner.SqlRunner";

    private static final Pattern FLINK_VERSION = Pattern.compile("v[0-9]+_[0-9]+");
    private static final Pattern PULL_POLICY = Pattern.compile("Always|IfNotPresent|Never");

    public FlinkSettings {
        Objects.requireNonNull(upgradeMode, "upgradeMode");
        Objects.requireNonNull(jobManager, "jobManager");
        Objects.requireNonNull(taskManager, "taskManager");
        if (flinkVersion == null || !FLINK_VERSION.matcher(flinkVersion).matches()) {
            throw new InvalidDeploymentException("flink version '" + flinkVersion + "' is not of the form v2_2");
        }
        FlinkVersions.requireMatch(flinkVersion, imageFlinkRelease,
                !FlinkVersions.runtime().equals(imageFlinkRelease));
        if (image == null || image.isBlank()) {
            throw new InvalidDeploymentException("the Flink image must not be empty");
        }
        if (imagePullPolicy == null || !PULL_POLICY.matcher(imagePullPolicy).matches()) {
            throw new InvalidDeploymentException("image pull policy '" + imagePullPolicy
                    + "' is not Always, IfNotPresent or Never");
        }
        if (serviceAccount == null || serviceAccount.isBlank()) {
            throw new InvalidDeploymentException("the Flink service account must not be empty");
        }
        if (parallelism < 1) {
            throw new InvalidDeploymentException("parallelism must be at least 1, got " + parallelism);
        }
        if (checkpointInterval != null && (checkpointInterval.isNegative() || checkpointInterval.isZero())) {
            throw new InvalidDeploymentException("checkpoint interval must be positive, got " + checkpointInterval);
        }
        if (checkpointInterval == null && upgradeMode == UpgradeMode.LAST_STATE) {
            throw new InvalidDeploymentException("upgrade mode last-state needs checkpointing (set a checkpoint interval)");
        }
        if (runnerJarUri == null || runnerJarUri.isBlank()) {
            throw new InvalidDeploymentException("the sql-runner jar URI must not be empty");
        }
        if (sqlDirectory == null || !sqlDirectory.startsWith("/")) {
            throw new InvalidDeploymentException("the SQL directory must be an absolute path, got '" + sqlDirectory + "'");
        }
        flinkConfiguration = flinkConfiguration == null ? Map.of() : Map.copyOf(flinkConfiguration);
    }

    /** These settings with another {@link #parallelism} (a job context's). */
    public FlinkSettings withParallelism(int jobParallelism) {
        return new FlinkSettings(flinkVersion, imageFlinkRelease, image, imagePullPolicy, serviceAccount, jobManager,
                taskManager, jobParallelism, upgradeMode, checkpointInterval, stateDirectory, runnerJarUri,
                sqlDirectory, flinkConfiguration);
    }

    /** The refusal of any mode but {@code application}, with the reason. */
    public static void requireApplicationMode(String mode) {
        if (!"application".equalsIgnoreCase(mode)) {
            throw new InvalidDeploymentException("runner.deploy.flink.mode=" + mode + " is not supported: only "
                    + "application mode runs (each deployment gets its own FlinkDeployment). A FlinkSessionJob's "
                    + "jar is fetched by the operator itself, which has no local:// scheme, and the session cluster's "
                    + "pods cannot read the deployment's SQL ConfigMaps, so a session job could never start; "
                    + "remove the setting or set it to application");
        }
    }
}
