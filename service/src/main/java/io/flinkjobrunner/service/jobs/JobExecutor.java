package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.logs.JobEventLog;
import io.flinkjobrunner.service.logs.LogHub;
import io.flinkjobrunner.service.secrets.SecretBox;
import io.flinkjobrunner.service.store.EventStore;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.store.StoredEvent;
import io.flinkjobrunner.service.targets.TargetRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounded worker pool of this replica: {@code runner.jobs.concurrency} workers claim queued jobs with
 * {@code FOR UPDATE SKIP LOCKED}; a heartbeat renews the leases of running jobs, picks up cancel requests and reaps
 * jobs whose owner died. At startup the jobs the previous incarnation of this node left RUNNING are reaped at once.
 */
@ApplicationScoped
public class JobExecutor {

    private static final Logger LOG = Logger.getLogger(JobExecutor.class);

    /** NOTIFY channel: a job was queued (payload: job id). */
    public static final String JOBS_CHANNEL = "fjr_jobs";
    /** NOTIFY channel: cancellation of a running job was requested (payload: job id). */
    public static final String CANCEL_CHANNEL = "fjr_cancel";

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

    private final Semaphore wake = new Semaphore(0);
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopping;
    private ScheduledExecutorService heartbeat;

    void start(@Observes StartupEvent event) {
        reapOrphans();
        int n = Math.max(1, config.jobs().concurrency());
        for (int i = 1; i <= n; i++) {
            Thread t = new Thread(this::work, "fjr-job-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fjr-job-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long period = config.jobs().heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        LOG.infof("job executor started: node %s, %d workers", node.owner(), n);
    }

    /** Stops claiming, interrupts running jobs (they end FAILED "interrupted by restart") and waits for them. */
    void stop(@Observes @Priority(5) ShutdownEvent event) {
        stopping = true;
        wake.release(workers.size() + 1);
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        for (Thread t : workers) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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

    /** True while the service shuts down: running jobs stop at their next cancellation check. */
    boolean stopping() {
        return stopping;
    }

    boolean cancelRequested(String jobId) {
        return cancelRequested.contains(jobId);
    }

    /** Number of jobs running on this replica. */
    public int runningJobs() {
        return running.size();
    }

    private void work() {
        while (!stopping) {
            try {
                Optional<JobTransitions.Claimed> claimed = claim();
                if (claimed.isPresent()) {
                    run(claimed.get());
                } else {
                    wake.tryAcquire(config.jobs().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (RuntimeException | SQLException e) {
                LOG.warnf("job worker: %s", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private Optional<JobTransitions.Claimed> claim() throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Optional<JobTransitions.Claimed> claimed;
        List<StoredEvent> stored = List.of();
        try (Connection c = jobs.connection()) {
            c.setAutoCommit(false);
            try {
                claimed = JobTransitions.claim(c, node.owner(), config.jobs().lease(), now);
                if (claimed.isPresent()) {
                    String id = claimed.get().id();
                    stored = EventStore.append(c, id, List.of(StatusEvents.job(id, JobStatus.RUNNING, now, null)),
                            config.logs().maxBytes(), node.owner()).orElseThrow();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        claimed.ifPresent(j -> running.put(j.id(), Thread.currentThread()));
        if (!stored.isEmpty()) {
            hub.publish(claimed.get().id(), stored);
        }
        return claimed;
    }

    private void run(JobTransitions.Claimed job) {
        try {
            if (jobs.cancelRequested(job.id())) {
                cancelRequested.add(job.id());
            }
            new JobRun(this, job, config, jobs, events, targets, secrets, workspaces, node.owner()).run();
        } finally {
            running.remove(job.id());
            cancelRequested.remove(job.id());
        }
    }

    private void beat() {
        try (Connection c = jobs.connection()) {
            c.setAutoCommit(true);
            for (String id : JobTransitions.renewLeases(c, node.owner(), config.jobs().lease())) {
                cancelLocally(id);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("cannot renew job leases: %s", e.getMessage());
        }
        reapOrphans();
    }

    /** Ends RUNNING jobs whose replica is gone: CANCELLED if cancellation was requested, else FAILED. */
    void reapOrphans() {
        Map<String, List<StoredEvent>> published = new java.util.LinkedHashMap<>();
        try (Connection c = jobs.connection()) {
            c.setAutoCommit(false);
            try {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                for (JobTransitions.Orphan o : JobTransitions.orphans(c, node.nodeId(), node.owner())) {
                    JobStatus status = o.cancelRequested() ? JobStatus.CANCELLED : JobStatus.FAILED;
                    String error = status == JobStatus.FAILED ? JobTransitions.INTERRUPTED : null;
                    if (JobTransitions.finishRunning(c, o.id(), null, status, now, error)) {
                        List<StoredEvent> s = EventStore.append(c, o.id(), List.of(
                                        StatusEvents.log(null, "job interrupted: the replica running it stopped", now),
                                        StatusEvents.job(o.id(), status, now, error)),
                                config.logs().maxBytes(), node.owner()).orElse(List.of());
                        published.put(o.id(), s);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("cannot reap interrupted jobs: %s", e.getMessage());
            return;
        }
        published.forEach((id, s) -> {
            LOG.infof("job %s was interrupted (its replica stopped)", id);
            hub.publish(id, s);
            workspaces.delete(id);
        });
    }
}
