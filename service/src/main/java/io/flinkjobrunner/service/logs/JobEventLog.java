package io.flinkjobrunner.service.logs;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.jobs.NodeIdentity;
import io.flinkjobrunner.service.store.EventStore;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.store.NewEvent;
import io.flinkjobrunner.service.store.StoredEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group-commit writer of job events. Callers enqueue log lines and state transitions; one thread drains the queue,
 * writes everything pending in one transaction (one row lock and one NOTIFY per job), and only after the commit
 * publishes the events to live subscribers. A transition's database effect runs in the same transaction as its status
 * event, so status and event stream never disagree.
 */
@ApplicationScoped
public class JobEventLog {

    private static final Logger LOG = Logger.getLogger(JobEventLog.class);
    private static final int MAX_BATCH = 5000;

    /** Database change that belongs to a status event; returns false to drop the event (precondition failed). */
    @FunctionalInterface
    public interface Effect {
        boolean apply(Connection c) throws SQLException;
    }

    private record Op(String jobId, NewEvent event, Effect effect, CompletableFuture<Boolean> done) {
    }

    private static final Op STOP = new Op(null, null, null, null);

    @Inject
    JobRepository jobs;
    @Inject
    LogHub hub;
    @Inject
    RunnerConfig config;
    @Inject
    NodeIdentity node;
    @Inject
    MeterRegistry meters;

    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>(200_000);
    private Thread writer;
    private Timer commits;

    void start(@Observes StartupEvent event) {
        commits = Timer.builder("fjr.events.commit")
                .description("Group commits of job events: time to write and commit one batch (every log line and "
                        + "state change waits for one)").register(meters);
        writer = new Thread(this::loop, "fjr-event-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Flushes what is pending before the database goes away; runs before the embedded database stops. */
    void stop(@Observes @Priority(10) ShutdownEvent event) {
        if (writer == null) {
            return;
        }
        try {
            queue.put(STOP);
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Appends a log line; durable (and visible to subscribers) when the future completes. */
    public CompletableFuture<Boolean> append(String jobId, NewEvent event) {
        return enqueue(new Op(jobId, event, null, new CompletableFuture<>()));
    }

    /** Applies a state change together with its status event; completes with false if the effect declined. */
    public CompletableFuture<Boolean> transition(String jobId, NewEvent event, Effect effect) {
        return enqueue(new Op(jobId, event, effect, new CompletableFuture<>()));
    }

    private CompletableFuture<Boolean> enqueue(Op op) {
        try {
            queue.put(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            op.done.completeExceptionally(e);
        }
        return op.done;
    }

    private void loop() {
        List<Op> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping || !queue.isEmpty()) {
            try {
                Op first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (batch.remove(STOP)) {
                    stopping = true;
                }
                write(batch);
            } catch (InterruptedException e) {
                stopping = true;
            } catch (RuntimeException e) {
                LOG.error("event writer failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Op> batch) throws InterruptedException {
        Map<String, List<Op>> byJob = new LinkedHashMap<>();
        for (Op op : batch) {
            byJob.computeIfAbsent(op.jobId, k -> new ArrayList<>()).add(op);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                long started = System.nanoTime();
                Map<String, List<StoredEvent>> stored = writeAll(byJob);
                commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                complete(byJob, stored);
                return;
            } catch (SQLException e) {
                if (attempt >= 3) {
                    LOG.warnf("writing %d job events failed %d times (%s); writing job by job", batch.size(), attempt,
                            e.getMessage());
                    writeOneByOne(byJob);
                    return;
                }
                Thread.sleep(200L * attempt);
            }
        }
    }

    private void writeOneByOne(Map<String, List<Op>> byJob) throws InterruptedException {
        for (Map.Entry<String, List<Op>> e : byJob.entrySet()) {
            Map<String, List<Op>> one = Map.of(e.getKey(), e.getValue());
            for (int attempt = 1; ; attempt++) {
                try {
                    complete(one, writeAll(one));
                    break;
                } catch (SQLException ex) {
                    if (attempt >= 20) {
                        LOG.errorf("dropping %d events of job %s: %s", e.getValue().size(), e.getKey(), ex.getMessage());
                        e.getValue().forEach(op -> op.done.completeExceptionally(ex));
                        break;
                    }
                    Thread.sleep(Math.min(5000, 250L * attempt));
                }
            }
        }
    }

    private Map<String, List<StoredEvent>> writeAll(Map<String, List<Op>> byJob) throws SQLException {
        Map<String, List<StoredEvent>> stored = new LinkedHashMap<>();
        try (Connection c = jobs.connection()) {
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, List<Op>> e : byJob.entrySet()) {
                    List<NewEvent> events = new ArrayList<>(e.getValue().size());
                    for (Op op : e.getValue()) {
                        if (op.effect == null || op.effect.apply(c)) {
                            events.add(op.event);
                        } else {
                            events.add(null);
                        }
                    }
                    List<NewEvent> kept = events.stream().filter(x -> x != null).toList();
                    Optional<List<StoredEvent>> s = EventStore.append(c, e.getKey(), kept, config.logs().maxBytes(),
                            node.owner());
                    stored.put(e.getKey(), s.orElse(null));
                    appliedMarkers.put(e.getKey(), events);
                }
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                appliedMarkers.clear();
                c.rollback();
                throw ex;
            }
        }
        return stored;
    }

    /** Per job, which ops' events were kept by their effect (null = declined); valid until {@link #complete}. */
    private final Map<String, List<NewEvent>> appliedMarkers = new LinkedHashMap<>();

    private void complete(Map<String, List<Op>> byJob, Map<String, List<StoredEvent>> stored) {
        for (Map.Entry<String, List<Op>> e : byJob.entrySet()) {
            List<StoredEvent> s = stored.get(e.getKey());
            List<NewEvent> kept = appliedMarkers.getOrDefault(e.getKey(), List.of());
            List<Op> ops = e.getValue();
            for (int i = 0; i < ops.size(); i++) {
                boolean applied = s != null && i < kept.size() && kept.get(i) != null;
                ops.get(i).done.complete(applied);
            }
            if (s != null) {
                hub.publish(e.getKey(), s);
            }
        }
        appliedMarkers.clear();
    }
}
