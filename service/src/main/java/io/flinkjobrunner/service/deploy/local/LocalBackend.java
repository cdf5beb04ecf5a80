package io.flinkjobrunner.service.deploy.local;

import io.flinkjobrunner.service.config.LocalConfig;
import io.flinkjobrunner.service.engine.EmbeddedEngine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.service.deploy.DeployFailedException;
import io.flinkjobrunner.service.deploy.DeployFailedException.Reason;
import io.flinkjobrunner.service.deploy.DeployProgress;
import io.flinkjobrunner.service.deploy.DeploymentBackend;
import io.flinkjobrunner.service.deploy.DeploymentBackends;
import io.flinkjobrunner.service.deploy.DeploymentPlan;
import io.flinkjobrunner.service.deploy.DeploymentScope;
import io.flinkjobrunner.service.deploy.DeploymentState;
import io.flinkjobrunner.service.deploy.DeploymentState.Phase;
import io.flinkjobrunner.service.deploy.PreflightReport;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.flinkjobrunner.service.state.OwnedResource;
import io.flinkjobrunner.service.digest.Sha256;
import io.flinkjobrunner.service.deploy.local.LocalDeployments.LaunchCancelledException;
import io.flinkjobrunner.service.deploy.local.LocalDeployments.Running;
import io.flinkjobrunner.service.deploy.local.LocalDeployments.Stopped;
import io.flinkjobrunner.service.semantic.SemanticDataChange;
import io.flinkjobrunner.service.semantic.SemanticDataException;
import io.flinkjobrunner.service.semantic.SemanticDataService;
import io.flinkjobrunner.service.state.JobContext;
import io.flinkjobrunner.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deploys to the local engine inside this process (the embedded mode, selected when Kubernetes deploy is off): the
 * deployment's topics on the in-process broker ({@link LocalTopics}), its semantic data stored and published through
 * {@link SemanticDataService} like on a cluster, and the unit as one Flink job on the shared MiniCluster
 * ({@link LocalDeployments}).
 *
 * <p>{@link #deploy} upgrades in place: the running job is stopped with a savepoint, the semantic delta is published,
 * and the new job restores the savepoint (or replays the topics when the savepoint does not fit). If the new job
 * does not run, the semantic data is restored and the previous job is started again from its savepoint: "rolled
 * back". Cancel before the running job is stopped changes nothing.
 */
@ApplicationScoped
public class LocalBackend implements DeploymentBackend {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String JOB_KIND = "LocalJob";

    private final EmbeddedEngine embedded;
    private final LocalDeployments jobs;
    private final SemanticDataService semanticData;
    private final Event<LocalDeploymentRemoved> deploymentRemoved;
    private final LocalConfig config;

    @Inject
    LocalBackend(EmbeddedEngine embedded, LocalDeployments jobs, SemanticDataService semanticData,
            Event<LocalDeploymentRemoved> deploymentRemoved, LocalConfig config) {
        this.embedded = embedded;
        this.jobs = jobs;
        this.semanticData = semanticData;
        this.deploymentRemoved = deploymentRemoved;
        this.config = config;
    }

    @Override
    public String name() {
        return DeploymentBackends.LOCAL;
    }

    /**
     * The deployment name only: {@code context.kubeContext} and {@code context.namespace} name a cluster and mean
     * nothing to the engine in this process, so they are ignored (portals written for the reference always send a
     * kubeContext). The parallelism is the context's, else {@code runner.local.parallelism}.
     *
     * @throws InvalidDeploymentException for a parallelism above the engine's task slots
     */
    @Override
    public DeploymentScope scope(String jobId, JobContext context) {
        int parallelism = context.parallelism().orElse(config.parallelism());
        if (parallelism < 1 || parallelism > LocalEngine.MAX_PARALLELISM) {
            throw new InvalidDeploymentException("parallelism " + parallelism + (context.parallelism().isPresent()
                    ? " (context.parallelism)" : " (runner.local.parallelism)") + " does not fit the local engine: "
                    + "its MiniCluster has " + LocalEngine.MAX_PARALLELISM + " task slots, shared by every "
                    + "deployment and scenario; ask for 1.." + LocalEngine.MAX_PARALLELISM);
        }
        return new DeploymentScope(jobId, context.deployment(), Optional.empty(), Optional.empty(),
                Optional.of(parallelism));
    }

    /** The unit carries its parallelism, so a restart or restore of the deployment runs it as deployed. */
    @Override
    public CompileOptions compileOptions(DeploymentScope scope) {
        return new CompileOptions(LocalTopics.of(scope.deployment()), LocalTopics.BOOTSTRAP_SERVERS,
                TableNames.reference()).withParallelism(scope.parallelism().orElse(config.parallelism()));
    }

    @Override
    public PreflightReport preflight(DeploymentScope scope) {
        List<Check> checks = new ArrayList<>();
        Path dir = embedded.dataDir();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".preflight", ".tmp");
            Files.delete(probe);
            checks.add(new Check("local engine data directory", true, dir + " is writable"));
        } catch (IOException e) {
            checks.add(new Check("local engine data directory", false, dir + " is not writable: " + e.getMessage()));
        }
        boolean wasRunning = embedded.started().isPresent();
        try {
            LocalEngine engine = embedded.engine();
            checks.add(new Check("in-process Kafka broker", true, "serving at " + engine.bootstrapServers()
                    + (wasRunning ? "" : " (started now in " + embedded.startup().map(d -> d.toMillis() + " ms")
                            .orElse("?") + ")")));
        } catch (LocalEngineException e) {
            checks.add(new Check("in-process Kafka broker", false, e.getMessage()));
        }
        return new PreflightReport(checks);
    }

    @Override
    public DeploymentPlan plan(DeploymentScope scope, DeploymentUnit unit) {
        Topics topics = requireCompiledFor(scope, unit);
        String scriptSha256 = Sha256.hex(unit.script().getBytes(StandardCharsets.UTF_8));
        ObjectNode spec = JSON.createObjectNode();
        spec.put("backend", name());
        spec.put("deployment", scope.deployment());
        spec.put("job", "one Flink job on the service's MiniCluster (parallelism "
                + compileOptions(scope).parallelism() + "), upgraded with a savepoint");
        ObjectNode topicNode = spec.putObject("topics");
        LocalTopics.configs(topics).forEach((topic, config) -> topicNode.set(topic, JSON.valueToTree(config)));
        spec.put("scriptSha256", scriptSha256);
        byte[] content;
        try {
            content = (JSON.writeValueAsString(spec) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the local deployment spec", e);
        }
        return new DeploymentPlan(List.of(new DeploymentPlan.Artifact("local-deployment.json", "application/json",
                content)), Sha256.hex(content), scriptSha256);
    }

    @Override
    public DeploymentState deploy(DeploymentScope scope, DeploymentUnit unit, DeployProgress progress)
            throws DeployFailedException {
        Topics topics = requireCompiledFor(scope, unit);
        String name = scope.deployment();
        ReentrantLock lock = jobs.lock(name);
        lock.lock();
        try {
            if (progress.cancelRequested()) {
                throw new DeployFailedException(Reason.CANCELLED, "deploy cancelled; nothing was applied", List.of());
            }
            progress.beforeChange();
            LocalEngine engine = startEngine(progress);
            Set<String> created;
            try {
                created = engine.ensureTopics(LocalTopics.configs(topics));
            } catch (LocalEngineException e) {
                throw new DeployFailedException(Reason.API_ERROR, e.getMessage() + "; nothing was applied", List.of());
            }
            if (!created.isEmpty()) {
                progress.log("created topics " + String.join(", ", created));
            }
            Optional<Stopped> previous;
            try {
                previous = jobs.stop(name);
            } catch (LocalEngineException e) {
                throw new DeployFailedException(Reason.OPERATOR_ERROR, "cannot stop the running job with a "
                        + "savepoint: " + e.getMessage() + "; it was left as it is", List.of());
            }
            previous.ifPresent(p -> progress.log("stopped Flink job " + p.job().job().jobId()
                    + " with savepoint " + p.savepoint()));
            SemanticDataChange change;
            try {
                change = semanticData.replace(name, unit.semanticData(), topics, created, engine::publish,
                        progress.fencingToken());
            } catch (SemanticDataException e) {
                String restored = restart(name, previous, progress);
                throw new DeployFailedException(Reason.SEMANTIC_DATA, e.getMessage() + restored, List.of());
            }
            progress.log("semantic data stored and published: " + change.summary());
            status(progress, name, null, "SUBMITTING", null);
            Running running;
            try {
                running = jobs.launch(name, unit.script(), previous.map(Stopped::savepoint), true,
                        progress::cancelRequested, progress::log);
            } catch (LaunchCancelledException e) {
                throw rollback(Reason.CANCELLED, "deploy cancelled while the new job was starting", name, change,
                        previous, created, engine, progress);
            } catch (LocalEngineException e) {
                status(progress, name, null, "FAILED", e.getMessage());
                throw rollback(e.reason() == LocalEngineException.Reason.TIMEOUT ? Reason.DEADLINE
                        : Reason.OPERATOR_ERROR, e.getMessage(), name, change, previous, created, engine, progress);
            }
            status(progress, name, running.job().jobId(), "RUNNING", null);
            Map<String, Object> fields = fields(name, running);
            return new DeploymentState(Phase.RUNNING, detail(running), fields);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DeploymentState undeploy(DeploymentScope scope, DeployProgress progress) throws DeployFailedException {
        String name = scope.deployment();
        ReentrantLock lock = jobs.lock(name);
        lock.lock();
        try {
            if (progress.cancelRequested()) {
                throw new DeployFailedException(Reason.CANCELLED, "undeploy cancelled", List.of());
            }
            progress.beforeChange();
            List<String> removed = new ArrayList<>();
            try {
                jobs.cancel(name).ifPresent(jobId -> {
                    progress.log("cancelled Flink job " + jobId + " (its state goes with the deployment's topics)");
                    removed.add(JOB_KIND + "/" + name);
                });
            } catch (LocalEngineException e) {
                throw new DeployFailedException(Reason.OPERATOR_ERROR, "cannot cancel the Flink job: " + e.getMessage()
                        + "; nothing was deleted", List.of());
            }
            // the alert streams end (done UNDEPLOYED) and stop reading the topic deleted next
            deploymentRemoved.fire(new LocalDeploymentRemoved(name));
            if (embedded.started().isPresent() || Files.exists(jobs.directory(name))) {
                Set<String> deleted;
                try {
                    deleted = embedded.engine().deleteTopics(LocalTopics.of(name).all());
                } catch (LocalEngineException e) {
                    throw new DeployFailedException(Reason.API_ERROR, e.getMessage() + "; the Flink job is "
                            + "stopped, the topics are left: run undeploy again", List.of());
                }
                deleted.forEach(topic -> removed.add("KafkaTopic/" + topic));
                if (!deleted.isEmpty()) {
                    progress.log("deleted topics " + String.join(", ", deleted));
                }
            }
            try {
                semanticData.drop(name, progress.fencingToken());
            } catch (SemanticDataException e) {
                throw new DeployFailedException(Reason.SEMANTIC_DATA, e.getMessage() + "; the job and the topics "
                        + "were removed (" + removed + "), only the stored semantic data is left; run undeploy again",
                        List.of());
            }
            jobs.forget(name);
            status(progress, name, null, "ABSENT", null);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("removed", removed);
            return new DeploymentState(Phase.ABSENT, removed.isEmpty() ? "nothing of the deployment was on the local "
                    + "engine" : "removed " + String.join(", ", removed), fields);
        } finally {
            lock.unlock();
        }
    }

    private LocalEngine startEngine(DeployProgress progress) throws DeployFailedException {
        boolean wasRunning = embedded.started().isPresent();
        try {
            LocalEngine engine = embedded.engine();
            if (!wasRunning) {
                progress.log("started the local engine (in-process Kafka at " + engine.bootstrapServers() + ") in "
                        + embedded.startup().map(d -> d.toMillis() + " ms").orElse("?") + "; data in "
                        + embedded.dataDir());
            }
            return engine;
        } catch (LocalEngineException e) {
            throw new DeployFailedException(Reason.API_ERROR, e.getMessage() + "; nothing was applied", List.of());
        }
    }

    /**
     * Takes the deploy back after the new job did not run: the previous semantic data, the previous job from its
     * savepoint, or (first deploy) no job and none of the topics this deploy created.
     */
    private DeployFailedException rollback(Reason reason, String why, String name, SemanticDataChange change,
            Optional<Stopped> previous, Set<String> created, LocalEngine engine, DeployProgress progress) {
        List<OwnedResource> leftovers = new ArrayList<>();
        StringBuilder outcome = new StringBuilder(why);
        try {
            change.undo().run();
            progress.log("restored the previous semantic data");
        } catch (IllegalStateException e) {
            outcome.append("; ").append(e.getMessage());
            leftovers.add(new OwnedResource("local", "SemanticData", name));
        }
        if (previous.isPresent()) {
            String restarted = restart(name, previous, progress);
            outcome.append(restarted);
            if (jobs.running(name).isEmpty()) {
                leftovers.add(new OwnedResource("local", JOB_KIND, name));
            }
        } else {
            try {
                engine.deleteTopics(created);
                outcome.append("; rolled back: nothing of the deployment is left");
            } catch (LocalEngineException e) {
                outcome.append("; the topics it created are left: ").append(e.getMessage());
                created.forEach(topic -> leftovers.add(new OwnedResource("local", "KafkaTopic", topic)));
            }
            try {
                semanticData.drop(name);
            } catch (SemanticDataException e) {
                outcome.append("; ").append(e.getMessage());
            }
            jobs.forget(name);
        }
        return new DeployFailedException(reason, outcome.toString(), leftovers);
    }

    /** Starts the stopped previous job again from its savepoint; returns how that went, for the error message. */
    private String restart(String name, Optional<Stopped> previous, DeployProgress progress) {
        if (previous.isEmpty()) {
            return "; nothing was applied";
        }
        try {
            Running running = jobs.launch(name, previous.get().job().script(),
                    Optional.of(previous.get().savepoint()), false, () -> false, progress::log);
            return "; rolled back: the previous unit runs again as Flink job " + running.job().jobId();
        } catch (LocalEngineException | LaunchCancelledException e) {
            return "; the previous unit could not be started again (" + e.getMessage() + "): no job runs, deploy "
                    + "again";
        }
    }

    private Topics requireCompiledFor(DeploymentScope scope, DeploymentUnit unit) {
        CompileOptions expected = compileOptions(scope);
        if (!unit.topics().equals(expected.topics()) || !unit.bootstrapServers().equals(expected.bootstrapServers())) {
            throw new InvalidDeploymentException("the unit was compiled for topics " + unit.topics().entities()
                    + ", … on " + unit.bootstrapServers() + ", but " + scope.describe() + " on the local engine uses "
                    + expected.topics().entities() + ", … on " + expected.bootstrapServers()
                    + "; compile it with the backend's compile options");
        }
        return expected.topics();
    }

    private static void status(DeployProgress progress, String name, String jobId, String jobState, String error) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("resource", JOB_KIND + "/" + name);
        fields.put("jobId", jobId);
        fields.put("jobState", jobState);
        fields.put("error", error);
        progress.status(fields);
    }

    private static Map<String, Object> fields(String name, Running running) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("resource", JOB_KIND + "/" + name);
        fields.put("jobId", running.job().jobId());
        fields.put("jobState", "RUNNING");
        fields.put("stateFrom", running.restoredFrom());
        fields.put("topics", LocalTopics.of(name).all());
        return fields;
    }

    private static String detail(Running running) {
        return JOB_KIND + "/" + running.name() + ": Flink job " + running.job().jobId() + " RUNNING (state from "
                + ("savepoint".equals(running.restoredFrom()) ? "the previous job's savepoint"
                        : "replaying the topics") + ")";
    }
}
