package io.flinkjobrunner.service.logs;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.sse.FanOut;
import io.flinkjobrunner.service.sse.FanOutSubscriber;
import io.flinkjobrunner.service.store.EventStore;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.store.StoredEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fans durable job events out to SSE subscribers. A batch is encoded once and the same buffer is written to every
 * subscriber at the live tail. A subscriber that is behind (joining, slow, or after a gap) catches up from the
 * database, the source of truth, and rejoins the live tail; so no line is skipped or sent twice.
 */
@ApplicationScoped
public class LogHub {

    private static final Logger LOG = Logger.getLogger(LogHub.class);
    private static final int PAGE = 1000;
    private static final int MAX_PENDING_BYTES = 256 * 1024;
    private static final int MAX_RETAINED_BYTES = 8 * 1024 * 1024;
    private static final java.util.Set<String> TERMINAL = java.util.Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    @Inject
    JobRepository jobs;
    @Inject
    RunnerConfig config;
    @Inject
    Vertx vertx;
    @Inject
    MeterRegistry meters;

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger subscriberCount = new AtomicInteger();
    private ExecutorService readers;
    private long heartbeatTimer = -1;
    /** {@code runner.logs.coalesce} in milliseconds. */
    private long coalesceMillis;
    private Counter databaseCatchUps;
    private Counter memoryCatchUps;
    private Counter slowPauses;
    private Timer liveLag;

    void start(@Observes StartupEvent event) {
        coalesceMillis = config.logs().coalesce().toMillis();
        databaseCatchUps = Counter.builder("fjr.sse.catchups").tag("source", "database")
                .description("Pages of job events an SSE subscriber read from the database: its replay, or after "
                        + "falling behind further than the retained deliveries").register(meters);
        memoryCatchUps = Counter.builder("fjr.sse.catchups").tag("source", "memory")
                .description("Catch-ups of a slow SSE subscriber from the retained deliveries").register(meters);
        slowPauses = Counter.builder("fjr.sse.slow.pauses")
                .description("Times a subscriber's socket buffer was full, so it left the live tail").register(meters);
        liveLag = Timer.builder("fjr.sse.live.lag")
                .description("From the log call of a delivery's first event until the delivery is written to the live "
                        + "subscribers of one event loop").register(meters);
        Gauge.builder("fjr.sse.subscribers", subscriberCount, AtomicInteger::get)
                .description("Open SSE subscriptions to job logs on this replica").register(meters);
        AtomicInteger n = new AtomicInteger();
        readers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fjr-log-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        heartbeatTimer = vertx.setPeriodic(config.logs().heartbeat().toMillis(), id -> heartbeat());
    }

    void stop(@Observes ShutdownEvent event) {
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        for (Channel ch : channels.values()) {
            for (Subscriber s : ch.snapshot()) {
                s.context().runOnContext(v -> s.end(null));
            }
        }
        if (readers != null) {
            readers.shutdownNow();
        }
    }

    /** Number of open SSE subscriptions on this replica. */
    public int subscribers() {
        return subscriberCount.get();
    }

    /**
     * Publishes events that were just committed (contiguous, ascending). Batches arriving within
     * {@code runner.logs.coalesce} of the previous delivery are coalesced: under load every subscriber gets one write
     * per interval instead of one per commit; a quiet job's events go out at once.
     */
    public void publish(String jobId, List<StoredEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Channel ch = channels.get(jobId);
        if (ch == null) {
            return;
        }
        long first = events.get(0).seq();
        long last = events.get(events.size() - 1).seq();
        String doneStatus = null;
        for (StoredEvent e : events) {
            if (e.terminal()) {
                doneStatus = SseFrames.status(e);
            }
        }
        byte[] frames = SseFrames.encode(events);
        long delay;
        synchronized (ch) {
            ch.lastPublished = Math.max(ch.lastPublished, last);
            if (ch.pending.size() > 0 && first != ch.pendingLast + 1) {
                // not contiguous with what is pending (events read from the database after a remote notification)
                ch.dispatchPending(liveLag);
            }
            if (ch.pending.size() == 0) {
                ch.pendingFirst = first;
                ch.pendingFirstAtMillis = events.get(0).at().toEpochMilli();
            }
            ch.pending.writeBytes(frames);
            ch.pendingLast = last;
            if (doneStatus != null) {
                ch.pendingDone = doneStatus;
            }
            if (ch.flushScheduled) {
                delay = -1;
            } else {
                long now = System.currentTimeMillis();
                delay = ch.pendingDone != null || ch.pending.size() > MAX_PENDING_BYTES
                        ? 0 : Math.max(0, ch.lastFlush + coalesceMillis - now);
                ch.flushScheduled = true;
            }
        }
        if (delay == 0) {
            flush(ch);
        } else if (delay > 0) {
            vertx.setTimer(delay, t -> flush(ch));
        }
    }

    private void flush(Channel ch) {
        synchronized (ch) {
            ch.flushScheduled = false;
            ch.lastFlush = System.currentTimeMillis();
            ch.dispatchPending(liveLag);
        }
    }

    /**
     * The frames in off-heap memory: a socket write of a heap buffer first copies it into a direct buffer, once per
     * subscriber; a direct buffer is written as it is. Freed by the garbage collector once no delivery refers to it.
     */
    private static Buffer offHeap(byte[] frames) {
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(frames.length);
        direct.put(frames).flip();
        return Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(direct));
    }

    /** One buffer for all subscribers of a job, handed to each event loop once. */
    private record Delivery(long first, long last, Buffer frames, String doneStatus, long firstAtMillis) {
        void dispatch(FanOut<Subscriber> subscribers, Timer liveLag) {
            subscribers.handOut(subs -> {
                for (Subscriber s : subs) {
                    s.onBatch(first, last, frames, doneStatus);
                }
                liveLag.record(System.currentTimeMillis() - firstAtMillis, TimeUnit.MILLISECONDS);
            }).run();
        }
    }

    /** Another replica committed events up to {@code lastSeq}: read and publish them if anyone here listens. */
    public void remoteEvents(String jobId, long lastSeq) {
        Channel ch = channels.get(jobId);
        if (ch == null) {
            return;
        }
        long from;
        synchronized (ch) {
            if (lastSeq <= ch.lastPublished) {
                return;
            }
            from = ch.lastPublished;
        }
        readers.execute(() -> {
            try (Connection c = jobs.connection()) {
                long after = from;
                while (after < lastSeq) {
                    List<StoredEvent> events = EventStore.readAfter(c, jobId, after, PAGE);
                    if (events.isEmpty()) {
                        break;
                    }
                    publish(jobId, events);
                    after = events.get(events.size() - 1).seq();
                }
            } catch (SQLException e) {
                LOG.warnf("cannot read events of job %s: %s", jobId, e.getMessage());
            }
        });
    }

    /** Notifications may have been missed (listener reconnected): every subscriber re-checks the database. */
    public void resynchronize() {
        for (Channel ch : channels.values()) {
            for (Subscriber s : ch.snapshot()) {
                s.context().runOnContext(v -> s.resynchronize());
            }
        }
    }

    /** The job was deleted: end its streams. */
    public void jobDeleted(String jobId) {
        Channel ch = channels.get(jobId);
        if (ch != null) {
            for (Subscriber s : ch.snapshot()) {
                s.context().runOnContext(v -> s.end(null));
            }
        }
    }

    /**
     * Starts streaming a job's events after {@code after} to an SSE response. Must be called on the response's
     * Vert.x context; the response headers must not have been written yet.
     */
    public void subscribe(String jobId, long after, HttpServerResponse response) {
        Context context = vertx.getOrCreateContext();
        Subscriber s = new Subscriber(jobId, after, response, context);
        while (true) {
            Channel ch = channels.computeIfAbsent(jobId, id -> new Channel());
            synchronized (ch) {
                if (!ch.removed) {
                    ch.subscribers.add(s);
                    break;
                }
            }
        }
        subscriberCount.incrementAndGet();
        s.open(Buffer.buffer(SseFrames.RETRY));
        s.catchUp();
    }

    private void heartbeat() {
        Buffer beat = Buffer.buffer(SseFrames.HEARTBEAT);
        for (Channel ch : channels.values()) {
            for (Subscriber s : ch.snapshot()) {
                s.context().runOnContext(v -> s.heartbeat(beat));
            }
        }
    }

    private void remove(Subscriber s) {
        Channel ch = channels.get(s.jobId);
        if (ch != null) {
            synchronized (ch) {
                if (ch.subscribers.remove(s)) {
                    subscriberCount.decrementAndGet();
                }
                if (ch.subscribers.isEmpty()) {
                    ch.removed = true;
                    channels.remove(s.jobId, ch);
                }
            }
        }
    }

    /** Subscribers of one job, the last sequence number published here, and events waiting for the next flush. */
    private static final class Channel {
        /** Every subscriber, live or catching up: one that is not live ignores the deliveries. */
        final FanOut<Subscriber> subscribers = new FanOut<>();
        long lastPublished;
        boolean removed;
        final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        long pendingFirst;
        /** Log-call time of the first pending event. */
        long pendingFirstAtMillis;
        long pendingLast;
        String pendingDone;
        boolean flushScheduled;
        long lastFlush;
        /** Recent deliveries, so a subscriber that fell behind catches up from shared buffers, not the database. */
        final java.util.ArrayDeque<Delivery> retained = new java.util.ArrayDeque<>();
        long retainedBytes;
        /** Last sequence number handed to subscribers (pending events excluded). */
        long lastFlushed;

        /**
         * Hands the pending events to the subscribers' event loops (caller holds the lock). Under the lock, so that
         * deliveries reach every event loop's queue in the order of their sequence numbers whichever thread flushes:
         * out of order, a subscriber would see a gap and fall back to the database.
         */
        void dispatchPending(Timer liveLag) {
            if (pending.size() == 0) {
                return;
            }
            Delivery d = new Delivery(pendingFirst, pendingLast, offHeap(pending.toByteArray()), pendingDone,
                    pendingFirstAtMillis);
            pending.reset();
            pendingDone = null;
            lastFlushed = pendingLast;
            retained.addLast(d);
            retainedBytes += d.frames().length();
            while (retainedBytes > MAX_RETAINED_BYTES && retained.size() > 1) {
                retainedBytes -= retained.removeFirst().frames().length();
            }
            d.dispatch(subscribers, liveLag);
        }

        /** Retained deliveries from the one starting at {@code from}; empty if that one is not retained. */
        synchronized List<Delivery> retainedFrom(long from) {
            List<Delivery> out = new ArrayList<>();
            boolean found = false;
            for (Delivery d : retained) {
                if (d.first() == from) {
                    found = true;
                }
                if (found) {
                    out.add(d);
                }
            }
            return out;
        }

        synchronized List<Subscriber> snapshot() {
            return subscribers.snapshot();
        }
    }

    /**
     * One SSE connection of a job's stream. It catches up from the retained deliveries after falling behind, and
     * from the database when joining, after a gap or when they were evicted.
     */
    private final class Subscriber extends FanOutSubscriber {
        final String jobId;
        /** A database read is in flight. */
        boolean reading;

        Subscriber(String jobId, long after, HttpServerResponse response, Context context) {
            super(response, context, after);
            this.jobId = jobId;
        }

        void onBatch(long first, long last, Buffer frames, String doneStatus) {
            if (offer(first, last, frames) && doneStatus != null) {
                finish(doneStatus);
            }
        }

        /** After a gap (the sequence numbers count the events), straight from the database. */
        @Override
        protected void missed() {
            catchUp();
        }

        @Override
        protected void fellBehind() {
            slowPauses.increment();
        }

        /** A slow reader resumes from the retained buffers once the socket drains. */
        @Override
        protected void drained() {
            catchUpFromMemory();
        }

        @Override
        protected void left() {
            remove(this);
        }

        /** Writes retained deliveries after {@code lastSent}; falls back to the database if they were evicted. */
        void catchUpFromMemory() {
            if (isFinished()) {
                return;
            }
            Channel ch = channels.get(jobId);
            List<Delivery> retained = ch == null ? List.of() : ch.retainedFrom(lastSent() + 1);
            if (retained.isEmpty()) {
                catchUp();
                return;
            }
            memoryCatchUps.increment();
            for (Delivery d : retained) {
                write(d.frames(), d.last());
                if (d.doneStatus() != null) {
                    finish(d.doneStatus());
                    return;
                }
                if (writeQueueFull()) {
                    afterDrain(this::catchUpFromMemory);
                    return;
                }
            }
            boolean joined = false;
            synchronized (ch) {
                // later deliveries (the pending one included) start right after lastFlushed
                if (ch.lastFlushed <= lastSent()) {
                    joinLive();
                    joined = true;
                }
            }
            if (!joined) {
                catchUpFromMemory();
            }
        }

        void catchUp() {
            if (isFinished() || reading) {
                return;
            }
            reading = true;
            databaseCatchUps.increment();
            long after = lastSent();
            readers.execute(() -> {
                List<StoredEvent> events;
                Optional<String> status;
                try (Connection c = jobs.connection()) {
                    // status first: if it is terminal, its status event is already committed and read below
                    status = EventStore.status(c, jobId);
                    events = EventStore.readAfter(c, jobId, after, PAGE);
                } catch (SQLException | RuntimeException e) {
                    LOG.warnf("cannot read events of job %s: %s", jobId, e.getMessage());
                    context().runOnContext(v -> {
                        reading = false;
                        vertx.setTimer(1000, t -> catchUp());
                    });
                    return;
                }
                context().runOnContext(v -> caughtUp(events, status));
            });
        }

        private void caughtUp(List<StoredEvent> events, Optional<String> status) {
            reading = false;
            if (isFinished()) {
                return;
            }
            if (status.isEmpty()) {
                finish("DELETED");
                return;
            }
            if (events.isEmpty() && TERMINAL.contains(status.get())) {
                // resumed after the terminal event: nothing more will come
                finish(status.get());
                return;
            }
            List<StoredEvent> fresh = new ArrayList<>(events.size());
            StoredEvent terminal = null;
            for (StoredEvent e : events) {
                if (e.seq() > lastSent()) {
                    fresh.add(e);
                    if (e.terminal()) {
                        terminal = e;
                        break;
                    }
                }
            }
            if (!fresh.isEmpty()) {
                write(Buffer.buffer(SseFrames.encode(fresh)), fresh.get(fresh.size() - 1).seq());
            }
            if (terminal != null) {
                finish(SseFrames.status(terminal));
                return;
            }
            if (events.size() == PAGE) {
                whenWritable(this::catchUp);
                return;
            }
            Channel ch = channels.get(jobId);
            boolean joined = false;
            if (ch != null) {
                synchronized (ch) {
                    if (ch.lastPublished <= lastSent()) {
                        // everything up to lastSent is durable and delivered: later notifications start from here
                        ch.lastPublished = lastSent();
                        joinLive();
                        joined = true;
                    }
                }
            }
            if (!joined) {
                whenWritable(this::catchUp);
            }
        }

        void finish(String status) {
            end(SseFrames.done(status));
        }
    }
}
