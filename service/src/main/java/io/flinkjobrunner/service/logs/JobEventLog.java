package io.flinkjobrunner.service.logs;

import io.flinkjobrunner.service.config.NodeIdentity;
import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.store.EventStore;
import io.flinkjobrunner.service.store.FencingToken;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.store.NewEvent;
import io.flinkjobrunner.service.store.StoredEvent;
import io.flinkjobrunner.service.store.Transaction;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Group-commit writer of job events. Callers enqueue log lines and state transitions; one thread drains the queue,
 * writes everything pending in one transaction (one row lock and one NOTIFY per job), and only after the commit
 * publishes the events to live subscribers. A transition's database effect runs in the same transaction as its status
 * event, so status and event stream never disagree.
 *
 * <p>Every event carries the {@link FencingToken} of the run that wrote it and is stored only if that run still owns
 * the job, checked on the locked job row in the same transaction: a replica that lost a job (reaped, taken over,
 * handed back) adds nothing to its log. Refused tokens are reported to the {@link #onRefused listener}, which stops the
 * run at once.
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

    private record Op(FencingToken token, NewEvent event, Effect effect, CompletableFuture<Boolean> done) {

        String jobId() {
            return token.jobId();
        }
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
    private volatile Consumer<FencingToken> refused = token -> { };

    void start(@Observes StartupEvent event) {
        commits = Timer.builder("fjr.events.commit")
                .description("Group commits of job events: time to write and commit one batch (every log line and "
                        + "state change waits for one)").register(meters);
        writer = new Thread(this::run, "fjr-event-writer");
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

    /** Called (on the writer thread) with the token of every run whose events were refused: it lost its job. */
    public void onRefused(Consumer<FencingToken> listener) {
        this.refused = listener;
    }

    /**
     * Appends a log line of the run {@code token}; durable (and visible to subscribers) when the future completes with
     * true, refused (false) if the run no longer owns its job.
     */
    public CompletableFuture<Boolean> append(FencingToken token, NewEvent event) {
        return enqueue(new Op(token, event, null, new CompletableFuture<>()));
    }

    /**
     * Applies a state change of the run {@code token} together with its status event; completes with false if the run
     * no longer owns its job or the effect declined.
     */
    public CompletableFuture<Boolean> transition(FencingToken token, NewEvent event, Effect effect) {
        return enqueue(new Op(token, event, effect, new CompletableFuture<>()));
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

    private void run() {
        while (true) {
            try {
                loop();
                return;
            } catch (Throwable e) {
                // an Error thrown while handling an Error (the heap exhausted by a job's build): the writer goes on,
                // since a dead writer would stall every job of the replica on its next log line
            }
        }
    }

    private void loop() {
        // sized for the largest batch up front: taking an op off the queue must never be followed by an allocation
        // that can fail, or that op would be lost and its writer would wait forever
        List<Op> batch = new ArrayList<>(MAX_BATCH);
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
            } catch (Throwable e) {
                // an Error too: a job's build that exhausts the heap often makes another thread, this one, throw the
                // OutOfMemoryError. Were this thread to die, every job of the replica would wait forever on its next
                // log line; instead the batch's writers get the error (their jobs fail with it) and writing goes on
                failed(batch, e);
            } finally {
                batch.clear();
            }
        }
    }

    /** Ends every op of a batch that could not be written with {@code e}; never throws. */
    private static void failed(List<Op> batch, Throwable e) {
        for (int i = 0; i < batch.size(); i++) { // no iterator: nothing to allocate when the heap is exhausted
            try {
                batch.get(i).done.completeExceptionally(e);
            } catch (Throwable again) {
                // not even this small object could be allocated: that writer is left to its lease and liveness
            }
        }
        try {
            LOG.error("writing " + batch.size() + " job events failed; their writers get the error", e);
        } catch (Throwable ignored) {
            // the log line itself could not be built (e.g. memory exhausted); the writers have the error
        }
    }

    /** Whether the writer thread runs (it does from startup until shutdown; a dead writer stalls every job here). */
    public boolean alive() {
        return writer == null || writer.isAlive();
    }

    private void write(List<Op> batch) throws InterruptedException {
        Map<String, List<Op>> byJob = new LinkedHashMap<>();
        for (Op op : batch) {
            byJob.computeIfAbsent(op.jobId(), k -> new ArrayList<>()).add(op);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                long started = System.nanoTime();
                Map<String, Written> written = writeAll(byJob);
                commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                complete(byJob, written);
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

    /** What one job's ops came to in a committed batch. */
    private record Written(List<StoredEvent> stored, boolean[] applied, Set<FencingToken> refused) {
    }

    private Map<String, Written> writeAll(Map<String, List<Op>> byJob) throws SQLException {
        return Transaction.run(jobs::connection, c -> {
            Map<String, Written> written = new LinkedHashMap<>();
            for (Map.Entry<String, List<Op>> e : byJob.entrySet()) {
                written.put(e.getKey(), writeJob(c, e.getKey(), e.getValue()));
            }
            return written;
        });
    }

    /** One job's ops, in order: each is checked against the run owning the job at that point of the batch. */
    private Written writeJob(Connection c, String jobId, List<Op> ops) throws SQLException {
        boolean[] applied = new boolean[ops.size()];
        Set<FencingToken> refusedTokens = new LinkedHashSet<>();
        Optional<EventStore.RunState> run = EventStore.lockRun(c, jobId);
        List<NewEvent> kept = new ArrayList<>(ops.size());
        Integer attempt = null;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            String refusal = run.isEmpty() ? "the job was deleted"
                    : op.token.refusal(run.get().status(), run.get().owner(), run.get().attempt());
            if (refusal != null) {
                refusedTokens.add(op.token);
                continue;
            }
            if (op.effect != null) {
                if (!op.effect.apply(c)) {
                    continue;
                }
                run = EventStore.lockRun(c, jobId);
            }
            applied[i] = true;
            kept.add(op.event);
            attempt = op.token.attempt();
        }
        List<StoredEvent> stored = kept.isEmpty() ? List.of()
                : EventStore.append(c, jobId, kept, config.logs().maxBytes(), node.owner(), attempt)
                        .orElse(List.of());
        return new Written(stored, applied, refusedTokens);
    }

    private void complete(Map<String, List<Op>> byJob, Map<String, Written> written) {
        for (Map.Entry<String, List<Op>> e : byJob.entrySet()) {
            Written w = written.get(e.getKey());
            List<Op> ops = e.getValue();
            for (int i = 0; i < ops.size(); i++) {
                ops.get(i).done.complete(w.applied()[i]);
            }
            hub.publish(e.getKey(), w.stored());
            for (FencingToken token : w.refused()) {
                LOG.infof("job %s: refused the events of %s, which no longer owns the job", e.getKey(), token);
                refused.accept(token);
            }
        }
    }
}
