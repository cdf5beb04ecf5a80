package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.logs.JobEventLog;
import io.flinkjobrunner.service.secrets.SecretBox;
import io.flinkjobrunner.service.secrets.UrlRedaction;
import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.state.StepStatus;
import io.flinkjobrunner.service.store.FencingToken;
import io.flinkjobrunner.service.store.JobRecord;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.targets.ArtifactSink;
import io.flinkjobrunner.service.targets.InputFile;
import io.flinkjobrunner.service.targets.JobCancelledException;
import io.flinkjobrunner.service.targets.RestorableStep;
import io.flinkjobrunner.service.targets.ResumePlan;
import io.flinkjobrunner.service.state.JobContext;
import io.flinkjobrunner.service.state.OwnershipLostException;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.service.targets.StepLog;
import io.flinkjobrunner.service.targets.StepValues;
import io.flinkjobrunner.service.targets.Target;
import io.flinkjobrunner.service.targets.TargetRegistry;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * One attempt at a claimed job: runs the target's steps in order and records every transition. Every write carries
 * the attempt's {@link FencingToken}; once the job is lost (taken over, handed back) the run stops and writes nothing
 * more. Any {@link Throwable} of a step ends the job FAILED with a reason; none escapes to the worker.
 */
final class JobRun implements StepContext {

    private static final Logger LOG = Logger.getLogger(JobRun.class);
    private static final Pattern ARTIFACT_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");

    private final JobExecutor executor;
    private final JobTransitions.Claimed claimed;
    private final RunOwnership ownership;
    private final FencingToken token;
    private final RunnerConfig config;
    private final JobRepository jobs;
    private final JobEventLog events;
    private final TargetRegistry targets;
    private final SecretBox secrets;
    private final Workspaces workspaces;

    private final StepValues values = new StepValues();
    private final Map<String, InputFile> inputs = new LinkedHashMap<>();
    private Map<String, String> urls = Map.of();
    private JobContext context;
    private Path workspace;
    /**
     * The step running now, null between steps: it tags the log lines and status events, and what it puts and
     * requires must be what it declares ({@link Step#provides()}, {@link Step#needs()}).
     */
    private volatile Step runningStep;

    JobRun(JobExecutor executor, JobTransitions.Claimed claimed, RunOwnership ownership, RunnerConfig config,
           JobRepository jobs, JobEventLog events, TargetRegistry targets, SecretBox secrets, Workspaces workspaces) {
        this.executor = executor;
        this.claimed = claimed;
        this.ownership = ownership;
        this.token = ownership.token();
        this.config = config;
        this.jobs = jobs;
        this.events = events;
        this.targets = targets;
        this.secrets = secrets;
        this.workspaces = workspaces;
    }

    void run() {
        String id = claimed.id();
        try {
            runSteps();
        } catch (OwnershipLostException e) {
            stopped();
        } catch (Throwable e) {
            values.clear();
            noticeLoss(e);
            if (ownership.lost()) {
                stopped();
                return;
            }
            LOG.errorf(e, "job %s failed unexpectedly", id);
            try {
                finish(JobStatus.FAILED, describe(e, currentStepName()));
            } catch (OwnershipLostException lost) {
                stopped();
            } catch (Throwable again) {
                // the error handling failed too (e.g. out of memory again). The lease is no longer renewed for this
                // run, so the job is taken over and tried again or failed by the reaper; if even this line cannot be
                // built, the error ends the worker, which the executor replaces
                LOG.error("job " + id + ": cannot record its failure (" + again + "); it is left to its lease");
            }
        } finally {
            values.clear();
            if (!config.jobs().keepWorkspace()) {
                workspaces.delete(id, claimed.attempt());
            }
        }
    }

    private void runSteps() throws Throwable {
        String id = claimed.id();
        JobStatus outcome = JobStatus.SUCCEEDED;
        String lastError = null;
        Optional<Target> target = targets.find(claimed.target());
        JobRecord record = jobs.find(id).orElseThrow(() -> new OwnershipLostException("job " + id + " was deleted"));
        context = record.context();
        if (target.isEmpty()) {
            finish(JobStatus.FAILED, "target '" + claimed.target() + "' is not available in this version of the service");
            return;
        }
        workspace = workspaces.create(id, claimed.attempt());
        urls = JobService.openUrls(secrets, jobs.sealedUrls(id).orElse(null)).orElse(Map.of());
        List<Step> steps = target.get().steps();
        ResumePlan plan = claimed.attempt() == 1 ? ResumePlan.fromTheStart(steps.size()) : resumePlan(record, steps);
        if (claimed.attempt() == 1) {
            jobLog("Starting job " + id + " with target '" + claimed.target() + "' (" + steps.size() + " steps)");
        } else if (plan.startsOver()) {
            jobs.startOver(token);
            jobLog("Starting attempt " + claimed.attempt() + " of job " + id + " with target '" + claimed.target()
                    + "' (" + steps.size() + " steps) on replica " + token.owner() + ", from the first step");
        } else {
            int at = plan.resumesAt();
            jobLog("Starting attempt " + claimed.attempt() + " of job " + id + " with target '" + claimed.target()
                    + "' (" + steps.size() + " steps) on replica " + token.owner() + ", resuming at step " + (at + 1)
                    + " (" + steps.get(at).name() + "): restoring " + plan.steps(steps, ResumePlan.Action.RESTORE)
                    + " from what an earlier attempt stored, running " + plan.steps(steps, ResumePlan.Action.RUN)
                    + ", skipping " + plan.steps(steps, ResumePlan.Action.SKIP) + " (completed earlier)");
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            ResumePlan.Action action = plan.actions().get(i);
            String label = "Step " + (i + 1) + "/" + steps.size() + " (" + step.name() + ")";
            ownership.check();
            if (executor.cancelRequested(id)) {
                outcome = JobStatus.CANCELLED;
                break;
            }
            if (action == ResumePlan.Action.SKIP) {
                continue;
            }
            runningStep = step;
            stepTransition(i, step.name(), StepStatus.RUNNING);
            log(step.name(), "INFO", (action == ResumePlan.Action.RESTORE ? "Restoring step " : "Running step ")
                    + (i + 1) + "/" + steps.size() + ": " + step.name());
            try {
                long started = System.nanoTime();
                if (action == ResumePlan.Action.RESTORE) {
                    ((RestorableStep) step).restore(this);
                } else {
                    step.run(this);
                }
                checkCancelled();
                log(step.name(), "INFO", label + (action == ResumePlan.Action.RESTORE ? " restored" : " completed")
                        + " successfully in " + (System.nanoTime() - started) / 1_000_000 + " ms.");
                stepTransition(i, step.name(), StepStatus.SUCCEEDED);
            } catch (Throwable e) {
                noticeLoss(e);
                ownership.check();
                if (e instanceof JobCancelledException) {
                    outcome = JobStatus.CANCELLED;
                    log(step.name(), "WARN", label + " cancelled by request.");
                    stepTransition(i, step.name(), StepStatus.CANCELLED);
                    break;
                }
                outcome = JobStatus.FAILED;
                if (e instanceof StepFailedException) {
                    lastError = UrlRedaction.redactAll(e.getMessage());
                } else {
                    values.clear();
                    lastError = describe(e, step.name());
                    if (!(e instanceof InterruptedException)) {
                        LOG.errorf(e, "job %s: step %s failed unexpectedly", id, step.name());
                    }
                }
                if (e instanceof InterruptedException) {
                    Thread.interrupted();
                }
                log(step.name(), "ERROR", label + " failed: " + lastError);
                stepTransition(i, step.name(), StepStatus.FAILED);
                break;
            }
        }
        runningStep = null;
        if (outcome == JobStatus.SUCCEEDED) {
            jobLog("Job " + id + " finished successfully. All " + steps.size() + " steps completed.");
        } else if (outcome == JobStatus.CANCELLED) {
            jobLog("Job canceled by request.");
        }
        finish(outcome, lastError);
    }

    /**
     * How this attempt runs the target's steps, given those earlier attempts completed. It starts over when the steps
     * recorded for the job are not the target's (a replica of another version ran them).
     */
    private ResumePlan resumePlan(JobRecord record, List<Step> steps) {
        List<JobRecord.StepRecord> recorded = record.steps();
        if (!recorded.stream().map(JobRecord.StepRecord::name).toList()
                .equals(steps.stream().map(Step::name).toList())) {
            return ResumePlan.fromTheStart(steps.size());
        }
        Set<Integer> completed = new HashSet<>();
        for (int i = 0; i < recorded.size(); i++) {
            if (recorded.get(i).status().equals(StepStatus.SUCCEEDED.name())) {
                completed.add(i);
            }
        }
        Set<String> stored = new HashSet<>();
        jobs.artifacts(record.id()).forEach(a -> stored.add(a.name()));
        return ResumePlan.of(steps, completed, stored);
    }

    /**
     * The reason of an unexpected error, in the job's terms. An {@link OutOfMemoryError} says so, with the heap limit
     * and the sizes of the inputs, since those are what the user can change.
     */
    private String describe(Throwable e, String step) {
        String where = step == null ? "" : " in step " + step;
        if (e instanceof OutOfMemoryError) {
            StringBuilder sizes = new StringBuilder();
            for (InputFile in : inputs.values()) {
                sizes.append(sizes.length() == 0 ? "" : ", ").append(in.name()).append(' ')
                        .append(humanBytes(in.bytes()));
            }
            return "out of memory" + where + " (" + e.getMessage() + "; the service's heap limit is "
                    + humanBytes(Runtime.getRuntime().maxMemory()) + "); inputs: "
                    + (sizes.length() == 0 ? "none downloaded yet" : sizes)
                    + ". Give the service more memory or use smaller inputs";
        }
        if (e instanceof StackOverflowError) {
            return "stack overflow" + where + ": the inputs nest too deeply for this service";
        }
        if (e instanceof InterruptedException) {
            return "interrupted" + where;
        }
        return "internal error" + where + ": " + e.getClass().getSimpleName() + ": "
                + UrlRedaction.redactAll(String.valueOf(e.getMessage()));
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** A fenced write refused by the database (possibly wrapped by a step) means the job was lost. */
    private void noticeLoss(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OwnershipLostException) {
                ownership.lose(t.getMessage());
                return;
            }
        }
    }

    /** The run lost its job: nothing more is written; the replica that holds it now decides its outcome. */
    private void stopped() {
        LOG.infof("job %s: attempt %d stopped without writing more: %s", claimed.id(), claimed.attempt(),
                ownership.lostReason() == null ? "lost" : ownership.lostReason());
    }

    private void finish(JobStatus status, String lastError) {
        String id = claimed.id();
        Instant now = now();
        ownership.check();
        boolean recorded = await(events.transition(token, StatusEvents.job(id, status, now, lastError),
                c -> JobTransitions.finishRunning(c, id, token, status, now, lastError)));
        if (!recorded) {
            ownership.lose("its final state " + status + " was refused: another replica holds the job");
            throw new OwnershipLostException("job " + id + ": final state not recorded");
        }
        ownership.complete();
        LOG.infof("job %s %s%s", id, status, lastError == null ? "" : ": " + lastError);
    }

    private void stepTransition(int position, String step, StepStatus status) {
        Instant now = now();
        ownership.check();
        boolean recorded = await(events.transition(token, StatusEvents.step(claimed.id(), step, status, now),
                c -> JobTransitions.step(c, token, position, status, now)));
        if (!recorded) {
            ownership.lose("step " + step + " " + status + " was refused: another replica holds the job");
            ownership.check();
        }
    }

    private void jobLog(String line) {
        log(null, "INFO", line);
    }

    private void log(String step, String level, String text) {
        ownership.check();
        String safe = UrlRedaction.redactAll(text == null ? "null" : text);
        int max = config.logs().maxLineLength();
        Instant at = now();
        for (String line : safe.split("\\r?\\n|\\r", -1)) {
            if (line.length() > max) {
                line = line.substring(0, max) + " … [line cut at " + max + " characters]";
            }
            String body = level.equals("INFO") ? line : level + " " + line;
            events.append(token, StatusEvents.log(step, body, at));
        }
    }

    /** Waits for a transition; an interrupt of the run (its job was lost) does not lose the answer. */
    private boolean await(CompletableFuture<Boolean> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        // e.g. the heap exhausted while the event writer wrote: the job fails with what happened
                        throw error;
                    }
                    throw new IllegalStateException("cannot record job state: " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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
        String step = currentStepName();
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
                String checkedName = checked(name);
                ownership.check();
                try {
                    jobs.putArtifact(token, checkedName, mediaType, content, now());
                } catch (OwnershipLostException e) {
                    ownership.lose(e.getMessage());
                    throw e;
                }
            }

            @Override
            public void put(String name, String mediaType, Path file) throws IOException {
                String checkedName = checked(name);
                ownership.check();
                try {
                    jobs.putArtifact(token, checkedName, mediaType, file, now());
                } catch (OwnershipLostException e) {
                    ownership.lose(e.getMessage());
                    throw e;
                }
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
        ownership.check();
        events.append(token, StatusEvents.detail(claimed.id(), currentStepName(), kind, fields, now()));
    }

    @Override
    public Map<String, String> inputUrls() {
        return Collections.unmodifiableMap(urls);
    }

    @Override
    public boolean copyStoredArtifact(String name, Path to) throws IOException {
        try (OutputStream out = Files.newOutputStream(to)) {
            return jobs.writeArtifact(claimed.id(), checked(name), out);
        }
    }

    @Override
    public void inputDownloaded(InputFile input) {
        ownership.check();
        inputs.put(input.name(), input);
        try {
            jobs.inputDownloaded(token, input.name(), input.redactedUrl(), input.bytes(), input.sha256());
        } catch (OwnershipLostException e) {
            ownership.lose(e.getMessage());
            throw e;
        }
    }

    @Override
    public void eraseInputUrls() {
        urls = Map.of();
    }

    @Override
    public void checkCancelled() {
        ownership.check();
        if (executor.cancelRequested(claimed.id())) {
            throw new JobCancelledException();
        }
    }

    @Override
    public boolean cancelRequested() {
        return ownership.lost() || executor.cancelRequested(claimed.id());
    }

    @Override
    public FencingToken fencingToken() {
        return token;
    }

    @Override
    public void confirmOwnership() {
        ownership.confirm(config.jobs().heartbeat().multipliedBy(2));
    }

    @Override
    public <T> void put(StepKey<T> key, T value) {
        values.put(step(), key, value);
    }

    @Override
    public <T> T require(StepKey<T> key) {
        return values.require(step(), key);
    }

    private String currentStepName() {
        Step step = runningStep;
        return step == null ? null : step.name();
    }

    private Step step() {
        Step step = runningStep;
        if (step == null) {
            throw new IllegalStateException("values are handed between steps only while a step runs");
        }
        return step;
    }

    @Override
    public <T> Optional<T> get(StepKey<T> key) {
        return values.get(key);
    }
}
