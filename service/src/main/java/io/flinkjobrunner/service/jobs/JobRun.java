package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.logs.JobEventLog;
import io.flinkjobrunner.service.secrets.SecretBox;
import io.flinkjobrunner.service.secrets.UrlRedaction;
import io.flinkjobrunner.service.store.JobRecord;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.targets.ArtifactSink;
import io.flinkjobrunner.service.targets.InputFile;
import io.flinkjobrunner.service.targets.JobCancelledException;
import io.flinkjobrunner.service.targets.JobContext;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.service.targets.StepLog;
import io.flinkjobrunner.service.targets.Target;
import io.flinkjobrunner.service.targets.TargetRegistry;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/** One execution of a claimed job: runs the target's steps in order and records every transition. */
final class JobRun implements StepContext {

    private static final Logger LOG = Logger.getLogger(JobRun.class);
    private static final Pattern ARTIFACT_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");

    private final JobExecutor executor;
    private final JobTransitions.Claimed claimed;
    private final RunnerConfig config;
    private final JobRepository jobs;
    private final JobEventLog events;
    private final TargetRegistry targets;
    private final SecretBox secrets;
    private final Workspaces workspaces;
    private final String owner;

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, InputFile> inputs = new LinkedHashMap<>();
    private Map<String, String> urls = Map.of();
    private JobContext context;
    private Path workspace;
    private volatile String currentStep;

    JobRun(JobExecutor executor, JobTransitions.Claimed claimed, RunnerConfig config, JobRepository jobs,
           JobEventLog events, TargetRegistry targets, SecretBox secrets, Workspaces workspaces, String owner) {
        this.executor = executor;
        this.claimed = claimed;
        this.config = config;
        this.jobs = jobs;
        this.events = events;
        this.targets = targets;
        this.secrets = secrets;
        this.workspaces = workspaces;
        this.owner = owner;
    }

    void run() {
        String id = claimed.id();
        JobStatus outcome = JobStatus.SUCCEEDED;
        String lastError = null;
        try {
            Optional<Target> target = targets.find(claimed.target());
            JobRecord record = jobs.find(id).orElseThrow();
            context = record.context();
            if (target.isEmpty()) {
                lastError = "target '" + claimed.target() + "' is not available in this version of the service";
                finish(JobStatus.FAILED, lastError);
                return;
            }
            workspace = workspaces.create(id);
            urls = JobService.openUrls(secrets, jobs.sealedUrls(id).orElse(null)).orElse(Map.of());
            List<Step> steps = target.get().steps();
            jobLog("Starting job " + id + " with target '" + claimed.target() + "' (" + steps.size() + " steps)");
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String label = "Step " + (i + 1) + "/" + steps.size() + " (" + step.name() + ")";
                if (executor.cancelRequested(id) || executor.stopping()) {
                    outcome = executor.stopping() && !executor.cancelRequested(id)
                            ? JobStatus.FAILED : JobStatus.CANCELLED;
                    lastError = outcome == JobStatus.FAILED ? JobTransitions.INTERRUPTED : null;
                    break;
                }
                currentStep = step.name();
                stepTransition(i, step.name(), StepStatus.RUNNING);
                log(step.name(), "INFO", "Running step " + (i + 1) + "/" + steps.size() + ": " + step.name());
                try {
                    long started = System.nanoTime();
                    step.run(this);
                    checkCancelled();
                    log(step.name(), "INFO", label + " completed successfully in "
                            + (System.nanoTime() - started) / 1_000_000 + " ms.");
                    stepTransition(i, step.name(), StepStatus.SUCCEEDED);
                } catch (JobCancelledException e) {
                    boolean shutdown = executor.stopping() && !executor.cancelRequested(id);
                    outcome = shutdown ? JobStatus.FAILED : JobStatus.CANCELLED;
                    lastError = shutdown ? JobTransitions.INTERRUPTED : null;
                    log(step.name(), "WARN", shutdown ? label + " interrupted: the service is shutting down."
                            : label + " cancelled by request.");
                    stepTransition(i, step.name(), shutdown ? StepStatus.FAILED : StepStatus.CANCELLED);
                    break;
                } catch (StepFailedException e) {
                    outcome = JobStatus.FAILED;
                    lastError = UrlRedaction.redactAll(e.getMessage());
                    log(step.name(), "ERROR", label + " failed: " + lastError);
                    stepTransition(i, step.name(), StepStatus.FAILED);
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    outcome = JobStatus.FAILED;
                    lastError = JobTransitions.INTERRUPTED;
                    stepTransition(i, step.name(), StepStatus.FAILED);
                    break;
                } catch (Exception | LinkageError e) {
                    LOG.errorf(e, "job %s: step %s failed unexpectedly", id, step.name());
                    outcome = JobStatus.FAILED;
                    lastError = "internal error in step " + step.name() + ": "
                            + UrlRedaction.redactAll(String.valueOf(e.getMessage()));
                    log(step.name(), "ERROR", label + " failed: " + lastError);
                    stepTransition(i, step.name(), StepStatus.FAILED);
                    break;
                }
            }
            currentStep = null;
            if (outcome == JobStatus.SUCCEEDED) {
                jobLog("Job " + id + " finished successfully. All " + steps.size() + " steps completed.");
            } else if (outcome == JobStatus.CANCELLED) {
                jobLog("Job canceled by request.");
            }
            finish(outcome, lastError);
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s failed unexpectedly", id);
            finish(JobStatus.FAILED, "internal error: " + UrlRedaction.redactAll(String.valueOf(e.getMessage())));
        } finally {
            if (!config.jobs().keepWorkspace()) {
                workspaces.delete(id);
            }
        }
    }

    private void finish(JobStatus status, String lastError) {
        String id = claimed.id();
        Instant now = now();
        await(events.transition(id, StatusEvents.job(id, status, now, lastError),
                c -> JobTransitions.finishRunning(c, id, owner, status, now, lastError)));
        LOG.infof("job %s %s%s", id, status, lastError == null ? "" : ": " + lastError);
    }

    private void stepTransition(int position, String step, StepStatus status) {
        String id = claimed.id();
        Instant now = now();
        await(events.transition(id, StatusEvents.step(id, step, status, now),
                c -> JobTransitions.step(c, id, owner, position, status, now)));
    }

    private void jobLog(String line) {
        log(null, "INFO", line);
    }

    private void log(String step, String level, String text) {
        String safe = UrlRedaction.redactAll(text == null ? "null" : text);
        int max = config.logs().maxLineLength();
        Instant at = now();
        for (String line : safe.split("\\r?\\n|\\r", -1)) {
            if (line.length() > max) {
                line = line.substring(0, max) + " … [line cut at " + max + " characters]";
            }
            String body = level.equals("INFO") ? line : level + " " + line;
            events.append(claimed.id(), StatusEvents.log(step, body, at));
        }
    }

    private static void await(java.util.concurrent.CompletableFuture<Boolean> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot record job state: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    // --- StepContext ---

    @Override
    public String jobId() {
        return claimed.id();
    }

    @Override
    public String target() {
        return claimed.target();
    }

    @Override
    public JobContext context() {
        return context;
    }

    @Override
    public Path workspace() {
        return workspace;
    }

    @Override
    public StepLog log() {
        String step = currentStep;
        return new StepLog() {
            @Override
            public void info(String line) {
                log(step, "INFO", line);
            }

            @Override
            public void warn(String line) {
                log(step, "WARN", line);
            }

            @Override
            public void error(String line) {
                log(step, "ERROR", line);
            }
        };
    }

    @Override
    public ArtifactSink artifacts() {
        return new ArtifactSink() {
            @Override
            public void put(String name, String mediaType, byte[] content) {
                jobs.putArtifact(claimed.id(), checked(name), mediaType, content, now());
            }

            @Override
            public void put(String name, String mediaType, Path file) throws IOException {
                jobs.putArtifact(claimed.id(), checked(name), mediaType, file, now());
            }
        };
    }

    private static String checked(String artifactName) {
        if (!ARTIFACT_NAME.matcher(artifactName).matches()) {
            throw new IllegalArgumentException("artifact name must match " + ARTIFACT_NAME.pattern());
        }
        return artifactName;
    }

    @Override
    public void status(String kind, Map<String, ?> fields) {
        events.append(claimed.id(), StatusEvents.detail(claimed.id(), currentStep, kind, fields, now()));
    }

    @Override
    public Map<String, String> inputUrls() {
        return Collections.unmodifiableMap(urls);
    }

    @Override
    public void inputDownloaded(InputFile input) {
        inputs.put(input.name(), input);
        jobs.inputDownloaded(claimed.id(), input.name(), input.redactedUrl(), input.bytes(), input.sha256());
    }

    @Override
    public Map<String, InputFile> inputs() {
        return Collections.unmodifiableMap(inputs);
    }

    @Override
    public void eraseInputUrls() {
        urls = Map.of();
        jobs.eraseSealedUrls(claimed.id());
    }

    @Override
    public void checkCancelled() {
        if (cancelRequested()) {
            throw new JobCancelledException();
        }
    }

    @Override
    public boolean cancelRequested() {
        return executor.cancelRequested(claimed.id()) || executor.stopping();
    }

    @Override
    public <T> void put(StepKey<T> key, T value) {
        values.put(key.name(), value);
    }

    @Override
    public <T> Optional<T> get(StepKey<T> key) {
        return Optional.ofNullable(values.get(key.name())).map(key.type()::cast);
    }
}
