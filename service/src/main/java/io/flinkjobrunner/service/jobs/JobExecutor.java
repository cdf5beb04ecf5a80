package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.config.NodeIdentity;
import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.logs.JobEventLog;
import io.flinkjobrunner.service.logs.LogHub;
import io.flinkjobrunner.service.secrets.SecretBox;
import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.store.EventStore;
import io.flinkjobrunner.service.store.FencingToken;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.store.NewEvent;
import io.flinkjobrunner.service.store.StoredEvent;
import io.flinkjobrunner.service.store.Transaction;
import io.flinkjobrunner.service.targets.TargetRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker pool of this replica: {@code runner.jobs.concurrency} workers claim queued jobs with
 * {@code FOR UPDATE SKIP LOCKED}, each claim a numbered attempt. A heartbeat renews the leases of the jobs running here
 * (and only those), confirms this replica's liveness ({@link ReplicaLiveness}), picks up cancel requests, replaces dead
 * workers and takes over the jobs of replicas that are gone: they are queued again for another attempt (fail after
 * {@code runner.jobs.max-attempts} lost attempts, end CANCELLED if cancellation was requested).
 *
 * <p>At shutdown the replica drains: no new claims from the moment the shutdown begins, running jobs get
 * {@code runner.jobs.drain-timeout} to finish, those still running then are handed back (queued again, not counted
 * as lost) for another replica to run from the start.
 */
@ApplicationScoped
public class JobExecutor {

    private static final Logger LOG = Logger.getLogger(JobExecutor.class);

    /** NOTIFY channel: a job was queued (payload: job id). */
    public static final String JOBS_CHANNEL = "fjr_jobs";
    /** NOTIFY channel: cancellation of a running job was requested (payload: job id). */
    public static final String CANCEL_CHANNEL = "fjr_cancel";

    /** Worker deaths within this window that make the pool unrecoverable. */
    private static final Duration DEATH_WINDOW = Duration.ofMinutes(10);
    private static final int MAX_DEATHS = 3;

    @Inject
    RunnerConfig config;
    @Inject
    JobRepository jobs;
    @Inject
    JobEventLog events;
    @Inject
    LogHub hub;
    @Inject
    NodeIdentity node;
    @Inject
    TargetRegistry targets;
    @Inject
    SecretBox secrets;
    @Inject
    Workspaces workspaces;
    @Inject
    ReplicaLiveness liveness;

    private final Semaphore wake = new Semaphore(0);
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
    private final Map<String, RunOwnership> running = new ConcurrentHashMap<>();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final AtomicInteger workerNumber = new AtomicInteger();
    private final Deque<Long> workerDeaths = new ConcurrentLinkedDeque<>();
    private volatile boolean draining;
    private volatile boolean stopped;
    private volatile long drainDeadline;
    private volatile String unrecoverable;
    private volatile long lastBeat = System.nanoTime();
    private Thread heartbeat;

    void start(@Observes StartupEvent event) {
        try {
            liveness.start(config.jobs().heartbeat().multipliedBy(2));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register this replica in the job database: " + e.getMessage(), e);
        }
        events.onRefused(this::refused);
        reapOrphans();
        for (int i = 0; i < concurrency(); i++) {
            startWorker();
        }
        heartbeat = new Thread(this::heartbeatLoop, "fjr-job-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
        LOG.infof("job executor started: replica %s, %d workers, lease %s, heartbeat %s", node.owner(), concurrency(),
                config.jobs().lease(), config.jobs().heartbeat());
    }

    /** The shutdown began (readiness is DOWN, requests are still served): claim nothing more. */
    void beginDrain(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /**
     * Lets the running jobs finish until the drain deadline, hands back those still running, then stops the workers and
     * the heartbeat and deregisters. Runs before the event writer and the embedded database stop.
     */
    void stop(@Observes @Priority(5) ShutdownEvent event) {
        drain();
        awaitIdle(drainDeadline);
        for (RunOwnership run : List.copyOf(running.values())) {
            handBack(run);
        }
        awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        stopped = true;
        wake.release(workers.size() + 1);
        if (heartbeat != null) {
            heartbeat.interrupt();
            join(heartbeat, 5_000);
        }
        for (Thread t : workers) {
            join(t, 2_000);
        }
        liveness.stop();
    }

    private synchronized void drain() {
        if (draining) {
            return;
        }
        drainDeadline = System.nanoTime() + config.jobs().drainTimeout().toNanos();
        draining = true;
        wake.release(workers.size() + 1);
        LOG.infof("shutting down: no new jobs are claimed; %d running job(s) get %s to finish, then are handed back",
                running.size(), config.jobs().drainTimeout());
    }

    private void awaitIdle(long deadline) {
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A job was queued (here or on another replica). */
    public void wakeUp() {
        wake.release(Math.max(1, workers.size()));
    }

    /** Cancellation of a job was requested; effective if it runs on this replica. */
    public void cancelLocally(String jobId) {
        if (running.containsKey(jobId)) {
            cancelRequested.add(jobId);
        }
    }

    boolean cancelRequested(String jobId) {
        return cancelRequested.contains(jobId);
    }

    /** True if {@code jobId} runs on this replica. */
    public boolean runsHere(String jobId) {
        return running.containsKey(jobId);
    }

    /** Workers alive right now (the configured size unless some died and were not replaced yet). */
    public int aliveWorkers() {
        return (int) workers.stream().filter(Thread::isAlive).count();
    }

    /**
     * Why the worker pool cannot recover (Kubernetes should restart the process), or empty while it is healthy: workers
     * keep dying, a dead worker could not be replaced, or the heartbeat stopped.
     */
    public Optional<String> unrecoverable() {
        if (unrecoverable != null) {
            return Optional.of(unrecoverable);
        }
        if (heartbeat != null && !stopped) {
            if (!heartbeat.isAlive()) {
                return Optional.of("the heartbeat thread died: leases are no longer renewed");
            }
            long silent = System.nanoTime() - lastBeat;
            long limit = Math.max(config.jobs().lease().toNanos(), config.jobs().heartbeat().toNanos() * 5) * 2;
            if (silent > limit) {
                return Optional.of("the heartbeat has been stuck for " + TimeUnit.NANOSECONDS.toSeconds(silent) + " s");
            }
        }
        return Optional.empty();
    }

    private int concurrency() {
        return Math.max(1, config.jobs().concurrency());
    }

    private void startWorker() {
        Thread t = new Thread(this::work, "fjr-job-worker-" + workerNumber.incrementAndGet());
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> LOG.errorf("job worker %s died: %s", thread.getName(), e));
        workers.add(t);
        t.start();
    }

    private void work() {
        while (!draining) {
            try {
                Optional<Claim> claim = claim();
                if (claim.isPresent()) {
                    run(claim.get());
                } else {
                    wake.tryAcquire(config.jobs().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                // a lost job's interrupt that arrived late, or the shutdown: the loop condition decides
            } catch (Throwable e) {
                // built here, not by the logger: if even this fails (memory exhausted), the worker ends and the
                // heartbeat replaces it
                LOG.warn("job worker: " + e);
                pause(1000);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // shutdown or a stray interrupt: back to the loop
        }
    }

    /** A claimed job and this replica's view of its ownership. */
    private record Claim(JobTransitions.Claimed job, RunOwnership ownership) {
    }

    /** A claim as its transaction committed it: the job's attempt and the status event that says so. */
    private record ClaimedRun(JobTransitions.Claimed job, List<StoredEvent> events) {
    }

    private Optional<Claim> claim() throws SQLException {
        if (draining) {
            return Optional.empty();
        }
        long sent = System.nanoTime();
        Instant now = now();
        Optional<ClaimedRun> claimed = Transaction.run(jobs::connection, c -> {
            Optional<JobTransitions.Claimed> job = JobTransitions.claim(c, node.owner(), config.jobs().lease(), now);
            if (job.isEmpty()) {
                return Optional.empty();
            }
            JobTransitions.Claimed j = job.get();
            NewEvent status = j.attempt() == 1 ? StatusEvents.job(j.id(), JobStatus.RUNNING, now, null)
                    : StatusEvents.resumed(j.id(), now, j.attempt(), node.owner());
            return Optional.of(new ClaimedRun(j, EventStore.append(c, j.id(), List.of(status),
                    config.logs().maxBytes(), node.owner(), j.attempt()).orElseThrow()));
        });
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        JobTransitions.Claimed j = claimed.get().job();
        List<StoredEvent> stored = claimed.get().events();
        RunOwnership ownership = new RunOwnership(new FencingToken(j.id(), node.owner(), j.attempt(),
                config.jobs().lease()), Thread.currentThread(), config.jobs().lease(), sent);
        RunOwnership older = running.put(j.id(), ownership);
        if (older != null) {
            older.lose("attempt " + j.attempt() + " of the job runs now");
        }
        hub.publish(j.id(), stored);
        return Optional.of(new Claim(j, ownership));
    }

    private void run(Claim claim) {
        String id = claim.job().id();
        RunOwnership ownership = claim.ownership();
        try {
            if (jobs.cancelRequested(id)) {
                cancelRequested.add(id);
            }
            new JobRun(this, claim.job(), ownership, config, jobs, events, targets, secrets, workspaces).run();
        } finally {
            ownership.ended();
            if (running.remove(id, ownership)) {
                cancelRequested.remove(id);
            }
            Thread.interrupted();
            if (ownership.lost() && !ownership.handedBack()) {
                // stopped here without being taken over (ownership not confirmed in time): give the job back
                requeueOwn(ownership, JobTransitions.LOST, "attempt " + ownership.token().attempt() + " on replica "
                        + node.owner() + " stopped: " + ownership.lostReason(), true);
            }
        }
    }

    /** The event writer refused a run's events: the run lost its job. */
    private void refused(FencingToken token) {
        RunOwnership run = running.get(token.jobId());
        if (run != null && run.token().equals(token)) {
            run.lose("another replica holds the job now (its events were refused)");
        }
    }

    private void heartbeatLoop() {
        long period = config.jobs().heartbeat().toMillis();
        while (!stopped) {
            try {
                beat();
            } catch (Throwable e) {
                try {
                    LOG.errorf("job heartbeat failed: %s", e);
                } catch (Throwable logging) {
                    // an exhausted heap fails the log line too (OutOfMemoryIT saw it end this thread once): the
                    // heartbeat must outlive it, or every lease here lapses
                }
            }
            lastBeat = System.nanoTime();
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            }
        }
    }

    private void beat() {
        if (!liveness.beat()) {
            LOG.warnf("replica %s re-registered its liveness; jobs other replicas took over meanwhile stop at their "
                    + "next write", node.owner());
        }
        renew();
        superviseWorkers();
        reapOrphans();
        forgetDeadReplicas();
    }

    /** Renews the leases of the jobs running here; a job no longer held by its run here is lost. */
    private void renew() {
        Map<String, RunOwnership> snapshot = new HashMap<>();
        for (Map.Entry<String, RunOwnership> e : running.entrySet()) {
            RunOwnership run = e.getValue();
            if (run.threadDied()) {
                // the worker died inside the run: nobody runs the job here, its lease must not be kept alive
                running.remove(e.getKey(), run);
                run.lose("its worker thread died");
                requeueOwn(run, JobTransitions.LOST, "the worker running attempt " + run.token().attempt()
                        + " on replica " + node.owner() + " died", true);
            } else if (!run.completed()) {
                snapshot.put(e.getKey(), run);
            }
        }
        if (snapshot.isEmpty()) {
            return;
        }
        long sent = System.nanoTime();
        List<JobTransitions.Renewed> renewed;
        try (Connection c = jobs.connection()) {
            c.setAutoCommit(true);
            renewed = JobTransitions.renewLeases(c, node.owner(), config.jobs().lease(), snapshot.keySet());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("cannot renew job leases: %s", e.getMessage());
            return;
        }
        Set<String> held = new HashSet<>();
        for (JobTransitions.Renewed r : renewed) {
            RunOwnership run = snapshot.get(r.id());
            if (run != null && run.token().attempt() == r.attempt()) {
                held.add(r.id());
                run.renewed(sent);
                if (r.cancelRequested()) {
                    cancelLocally(r.id());
                }
            }
        }
        snapshot.forEach((id, run) -> {
            if (!held.contains(id) && !run.completed()) {
                run.lose("another replica took the job over (its lease could not be renewed here)");
            }
        });
    }

    private void superviseWorkers() {
        for (Thread t : workers) {
            if (!t.isAlive()) {
                workers.remove(t);
                workerDeaths.add(System.nanoTime());
                if (!draining) {
                    try {
                        startWorker();
                        LOG.warnf("job worker %s died and was replaced", t.getName());
                    } catch (Throwable e) {
                        unrecoverable = "a dead job worker could not be replaced: " + e;
                    }
                }
            }
        }
        long since = System.nanoTime() - DEATH_WINDOW.toNanos();
        while (!workerDeaths.isEmpty() && workerDeaths.peekFirst() < since) {
            workerDeaths.pollFirst();
        }
        if (workerDeaths.size() >= MAX_DEATHS && unrecoverable == null) {
            unrecoverable = workerDeaths.size() + " job workers died within " + DEATH_WINDOW.toMinutes()
                    + " minutes (errors in the error handling itself, e.g. memory exhausted)";
        }
    }

    /**
     * Takes over the RUNNING jobs whose replica is gone (lease expired, or its database session ended): queued again for
     * another attempt, FAILED after {@code runner.jobs.max-attempts} lost attempts, CANCELLED if cancellation was
     * requested. Viewers see a log line and a status event saying what happened.
     */
    void reapOrphans() {
        Map<String, List<StoredEvent>> published = new LinkedHashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        boolean requeued;
        try {
            requeued = Transaction.run(jobs::connection, c -> {
                boolean any = false;
                for (JobTransitions.Orphan o : JobTransitions.orphans(c, livenessGrace())) {
                    if (!FencingToken.tryTakeOver(c, o.id())) {
                        continue;
                    }
                    Instant now = now();
                    List<NewEvent> news = new ArrayList<>();
                    String lost = "Attempt " + o.attempt() + " was lost: " + o.why() + ".";
                    JobTransitions.endAttempt(c, o.id(), null, JobTransitions.LOST, o.why(), now);
                    int lostSoFar = o.lostAttempts() + 1;
                    if (o.cancelRequested()) {
                        JobTransitions.finishRunning(c, o.id(), null, JobStatus.CANCELLED, now, null);
                        news.add(StatusEvents.log(null, lost + " Its cancellation is complete.", now));
                        news.add(StatusEvents.job(o.id(), JobStatus.CANCELLED, now, null));
                    } else if (lostSoFar >= config.jobs().maxAttempts()) {
                        String error = "gave up after " + lostSoFar + " attempts, each lost with its replica: "
                                + history(c, o.id()) + " (runner.jobs.max-attempts=" + config.jobs().maxAttempts()
                                + ")";
                        JobTransitions.finishRunning(c, o.id(), null, JobStatus.FAILED, now, error);
                        news.add(StatusEvents.log(null, lost + " No attempt is left.", now));
                        news.add(StatusEvents.job(o.id(), JobStatus.FAILED, now, error));
                    } else {
                        JobTransitions.requeue(c, o.id(), null, JobTransitions.LOST, o.why(), true, now);
                        news.add(StatusEvents.log(null, lost + " The job is queued again for attempt "
                                + (o.attempt() + 1) + " (at most " + config.jobs().maxAttempts()
                                + " attempts), which resumes after the completed steps where it can (its first line "
                                + "says how).", now));
                        news.add(StatusEvents.requeued(o.id(), now, o.attempt(), "attempt " + o.attempt()
                                + " lost: " + o.why()));
                        any = true;
                    }
                    attempts.put(o.id(), o.attempt());
                    published.put(o.id(), EventStore.append(c, o.id(), news, config.logs().maxBytes(), node.owner())
                            .orElse(List.of()));
                    LOG.infof("job %s: attempt %d lost (%s)", o.id(), o.attempt(), o.why());
                }
                return any;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("cannot take over the jobs of lost replicas: %s", e.getMessage());
            return;
        }
        published.forEach((id, s) -> {
            hub.publish(id, s);
            RunOwnership here = running.get(id);
            if (here != null && here.token().attempt() == attempts.get(id)) {
                here.lose("its lease expired before this replica renewed it; another replica took the job over");
            }
        });
        if (requeued) {
            wakeUp();
        }
    }

    /** How every lost attempt of a job ended, for the final error. */
    private static String history(Connection c, String jobId) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt, detail FROM job_attempts WHERE job_id = ? "
                + "AND outcome = '" + JobTransitions.LOST + "' ORDER BY attempt")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(out.length() == 0 ? "" : "; ").append("attempt ").append(rs.getInt(1)).append(": ")
                            .append(rs.getString(2));
                }
            }
        }
        return out.toString();
    }

    /** How long a replica without its liveness lock may stay unseen before its jobs are taken over. */
    private Duration livenessGrace() {
        return config.jobs().heartbeat().multipliedBy(3);
    }

    private void forgetDeadReplicas() {
        try (Connection c = jobs.connection()) {
            c.setAutoCommit(true);
            ReplicaLiveness.forgetDead(c, livenessGrace());
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("cannot forget dead replicas: %s", e.getMessage());
        }
    }

    /**
     * Gives a running job back at shutdown: it stops here at once (its step is interrupted and nothing more is
     * written) and is queued again without counting as lost, so another replica runs it, resuming after its completed
     * steps where it can ({@link io.flinkjobrunner.service.targets.ResumePlan}).
     */
    private void handBack(RunOwnership run) {
        String why = "replica " + node.owner() + " is shutting down and handed the job back";
        run.handBack(why);
        requeueOwn(run, JobTransitions.HANDED_BACK, why, false);
    }

    /** Requeues a job this replica's run still holds in the database (no-op if another replica holds it). */
    private void requeueOwn(RunOwnership run, String outcome, String why, boolean lost) {
        FencingToken token = run.token();
        Instant now = now();
        Optional<List<StoredEvent>> requeued;
        try {
            requeued = Transaction.run(jobs::connection, c -> {
                if (!FencingToken.takeOver(c, token.jobId(), Duration.ofSeconds(5))) {
                    LOG.warnf("job %s: its writers did not finish in time; it is left to its lease", token.jobId());
                    return Optional.empty();
                }
                String step = runningStep(c, token.jobId());
                if (!JobTransitions.requeue(c, token.jobId(), token, outcome, why, lost, now)) {
                    return Optional.empty();
                }
                String at = step == null ? "" : " during step " + step;
                return Optional.of(EventStore.append(c, token.jobId(), List.of(
                        StatusEvents.log(null, "Attempt " + token.attempt() + " stopped" + at + ": " + why
                                + ". The job is queued again; the next attempt resumes after the completed steps where "
                                + "it can (its first line says how).", now),
                        StatusEvents.requeued(token.jobId(), now, token.attempt(), why)),
                        config.logs().maxBytes(), node.owner()).orElse(List.of()));
            });
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("job %s: cannot queue it again (%s); it is left to its lease", token.jobId(), e.getMessage());
            return;
        }
        if (requeued.isPresent()) {
            LOG.infof("job %s: attempt %d given back (%s)", token.jobId(), token.attempt(), why);
            hub.publish(token.jobId(), requeued.get());
        }
    }

    private static String runningStep(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM job_steps WHERE job_id = ? "
                + "AND status = 'RUNNING' ORDER BY position LIMIT 1")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
