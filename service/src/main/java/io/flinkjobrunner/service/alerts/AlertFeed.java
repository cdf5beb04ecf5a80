package io.flinkjobrunner.service.alerts;

import io.flinkjobrunner.service.logs.SseFrames;
import io.flinkjobrunner.service.sse.FanOut;
import io.flinkjobrunner.service.sse.FanOutSubscriber;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The alert stream of one deployment: one Kafka consumer tails its {@code alerts_bulk} topic (an upsert stream, one
 * partition) and fans every change out to any number of SSE viewers.
 *
 * <p>The SSE event id is the record's Kafka offset, so {@code Last-Event-ID} names a position in the topic. A record
 * becomes an {@code alert} event (data: the alert as the job wrote it) or, for a tombstone (the check no longer yields
 * the alert: the entity was fixed, or the entity or constraint is gone), a {@code clear} event (data: the key,
 * {@code {"resource", "event"}}). A record equal to the current value of its key changes nothing and is not an event
 * (a job replaying its topics after a redeploy writes the same alerts again).
 *
 * <p>The feed keeps the current value of every key (the materialized set served as JSON) and the most recent events
 * up to a byte budget. A viewer resuming from an id inside that window gets exactly the events after it; one further
 * behind gets the latest event of every alert that changed after its id, in offset order, which leaves it with the
 * same alert set (intermediate changes of one alert are collapsed, as in a compacted topic). A viewer without an id
 * starts with the current set. Live events are encoded once and the same buffer is written to every viewer; a viewer
 * whose connection cannot keep up stops receiving live events and catches up the same way once it drains.
 */
final class AlertFeed {

    private static final Logger LOG = Logger.getLogger(AlertFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String deployment;
    private final String topic;
    private final int retainedBudget;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final Consumer<AlertFeed> onFailure;

    /** Current event of every key that ever had one (clears included), for snapshots and compacted catch-up. */
    private final Map<String, AlertEvent> latest = new LinkedHashMap<>();
    private final ArrayDeque<AlertEvent> retained = new ArrayDeque<>();
    private long retainedBytes;
    /** Every change after this offset is in {@link #retained}. */
    private long retainedAfter = -1;
    /** Offset of the last record read (-1: none). */
    private long position = -1;
    private boolean loaded;
    private boolean closed;
    /** Viewers that joined: caught up, or with their catch-up queued before any live batch. */
    private final FanOut<Viewer> live = new FanOut<>();
    /** Viewers that came before the topic was read up to its end at opening. */
    private final List<Viewer> waiting = new ArrayList<>();

    /**
     * One change of the alert set.
     *
     * @param offset Kafka offset, the SSE id
     * @param key the record key (JSON {@code resource}, {@code event})
     * @param value the alert (JSON), null for a clear
     * @param frame the encoded SSE frame
     */
    record AlertEvent(long offset, String key, String value, byte[] frame) {
    }

    /**
     * The current alert set.
     *
     * @param alerts the current alerts (JSON objects), in offset order of their last change
     * @param lastEventId offset of the last record read, -1 if the topic is empty
     */
    record Snapshot(List<String> alerts, long lastEventId) {
    }

    AlertFeed(String deployment, String topic, String bootstrapServers, int retainedBudget,
            Consumer<AlertFeed> onFailure) {
        this.deployment = deployment;
        this.topic = topic;
        this.retainedBudget = retainedBudget;
        this.onFailure = onFailure;
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "fjr-alerts-" + deployment);
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(this::run, "fjr-alerts-" + deployment);
        this.thread.setDaemon(true);
    }

    String deployment() {
        return deployment;
    }

    void start() {
        thread.start();
    }

    private void run() {
        TopicPartition partition = new TopicPartition(topic, 0);
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long endAtOpen = consumer.endOffsets(List.of(partition)).get(partition);
            while (!isClosed()) {
                List<ConsumerRecord<String, String>> records = new ArrayList<>();
                consumer.poll(POLL).forEach(records::add);
                boolean caughtUp = consumer.position(partition) >= endAtOpen;
                apply(records, caughtUp);
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            if (!isClosed()) {
                LOG.warnf("alert stream of deployment '%s' stopped: %s", deployment, e.getMessage());
                onFailure.accept(this);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(List<ConsumerRecord<String, String>> records, boolean caughtUp) {
        List<Runnable> deliveries = new ArrayList<>();
        synchronized (this) {
            List<AlertEvent> changes = new ArrayList<>();
            for (ConsumerRecord<String, String> record : records) {
                position = record.offset();
                if (record.key() == null) {
                    continue;
                }
                AlertEvent previous = latest.get(record.key());
                String current = previous == null ? null : previous.value();
                if (Objects.equals(current, record.value())) {
                    continue;
                }
                AlertEvent event = event(record.offset(), record.key(), record.value());
                latest.put(record.key(), event);
                retain(event);
                changes.add(event);
            }
            boolean justLoaded = !loaded && caughtUp;
            if (justLoaded) {
                loaded = true;
                notifyAll();
                for (Viewer viewer : waiting) {
                    join(viewer, viewer.lastSent()).run();
                }
                waiting.clear();
            } else if (loaded && !changes.isEmpty()) {
                deliveries.add(deliver(changes));
            }
        }
        deliveries.forEach(Runnable::run);
    }

    private static AlertEvent event(long offset, String key, String value) {
        StringBuilder sb = new StringBuilder(64 + (value == null ? key.length() : value.length()));
        SseFrames.appendEvent(sb, offset, value == null ? "clear" : "alert", value == null ? key : value);
        return new AlertEvent(offset, key, value, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void retain(AlertEvent event) {
        retained.addLast(event);
        retainedBytes += event.frame().length;
        while (retainedBytes > retainedBudget && retained.size() > 1) {
            AlertEvent evicted = retained.removeFirst();
            retainedBytes -= evicted.frame().length;
            retainedAfter = evicted.offset();
        }
    }

    /** One buffer for every live viewer, handed to each event loop once. Caller holds the lock. */
    private Runnable deliver(List<AlertEvent> changes) {
        Buffer frames = Buffer.buffer(concat(changes));
        long first = changes.get(0).offset();
        long last = changes.get(changes.size() - 1).offset();
        return live.handOut(viewers -> {
            for (Viewer viewer : viewers) {
                viewer.offer(first, last, frames);
            }
        });
    }

    /**
     * Adds a viewer that has seen everything up to {@code after} ({@code null}: nothing, start with the current set).
     * Must be called on the response's Vert.x context.
     */
    void subscribe(HttpServerResponse response, Context context, Long after, Consumer<Viewer> onEnd) {
        Viewer viewer = new Viewer(response, context, after == null ? Long.MIN_VALUE : after, onEnd);
        viewer.open(Buffer.buffer(SseFrames.RETRY));
        synchronized (this) {
            if (closed) {
                context.runOnContext(v -> viewer.end(SseFrames.done("UNDEPLOYED")));
            } else if (!loaded) {
                waiting.add(viewer);
            } else {
                // queued on the viewer's context while the lock is held: a live batch that includes this viewer is
                // computed under the lock afterwards, so it is queued after the catch-up. Queued later, the batch
                // could reach the viewer before it is ready and be dropped (an alert the viewer never sees).
                join(viewer, viewer.lastSent()).run();
            }
        }
    }

    /**
     * The catch-up for a viewer that has seen everything up to {@code after}, after which it is live. Caller holds
     * the lock and runs the returned delivery (it only queues on the viewer's context) before releasing it, so the
     * catch-up is written before any later live batch.
     */
    private Runnable join(Viewer viewer, long after) {
        List<AlertEvent> catchUp = new ArrayList<>();
        if (after == Long.MIN_VALUE || after > position) {
            // no id, or an id of an earlier incarnation of the topic: the current set
            latest.values().stream().filter(e -> e.value() != null).sorted(Comparator.comparingLong(AlertEvent::offset))
                    .forEach(catchUp::add);
        } else if (after >= retainedAfter) {
            retained.stream().filter(e -> e.offset() > after).forEach(catchUp::add);
        } else {
            latest.values().stream().filter(e -> e.offset() > after)
                    .sorted(Comparator.comparingLong(AlertEvent::offset)).forEach(catchUp::add);
        }
        long upTo = position;
        live.add(viewer);
        byte[] frames = concat(catchUp);
        return () -> viewer.context().runOnContext(v -> viewer.caughtUp(frames, upTo));
    }

    private synchronized void rejoin(Viewer viewer) {
        if (closed) {
            return;
        }
        join(viewer, viewer.lastSent()).run();
    }

    private synchronized void leave(Viewer viewer) {
        live.remove(viewer);
        waiting.remove(viewer);
    }

    /** The current alert set once the topic was read up to where it ended when the feed opened. */
    Snapshot snapshot(Duration timeout) throws InterruptedException {
        synchronized (this) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!loaded && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the alerts of deployment '" + deployment + "' were not read "
                            + "within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            List<String> alerts = latest.values().stream().filter(e -> e.value() != null)
                    .sorted(Comparator.comparingLong(AlertEvent::offset)).map(AlertEvent::value).toList();
            return new Snapshot(alerts, position);
        }
    }

    /** Sends a heartbeat comment to every viewer that is not behind. */
    void heartbeat(Buffer beat) {
        List<Viewer> viewers;
        synchronized (this) {
            viewers = live.snapshot();
        }
        for (Viewer viewer : viewers) {
            viewer.context().runOnContext(v -> {
                // a viewer that is behind gets none: it is rejoining, and its catch-up comes next
                if (viewer.isLive()) {
                    viewer.heartbeat(beat);
                }
            });
        }
    }

    /** Number of connected viewers. */
    synchronized int viewers() {
        return live.size() + waiting.size();
    }

    /** Stops the consumer and ends every stream with {@code done} carrying {@code status}. */
    void close(String status) {
        List<Viewer> viewers;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
            viewers = live.clear();
            viewers.addAll(waiting);
            waiting.clear();
        }
        consumer.wakeup();
        byte[] done = SseFrames.done(status);
        for (Viewer viewer : viewers) {
            viewer.context().runOnContext(v -> viewer.end(done));
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private static byte[] concat(List<AlertEvent> events) {
        int size = 0;
        for (AlertEvent e : events) {
            size += e.frame().length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (AlertEvent e : events) {
            System.arraycopy(e.frame(), 0, out, at, e.frame().length);
            at += e.frame().length;
        }
        return out;
    }

    /**
     * One SSE connection of the feed. It leaves the live viewers when its connection cannot keep up and rejoins once
     * it drained, with a catch-up from the feed's memory.
     */
    final class Viewer extends FanOutSubscriber {
        private final Consumer<Viewer> onEnd;

        /** {@code after}: offset up to which this viewer has everything ({@code Long.MIN_VALUE}: nothing yet). */
        Viewer(HttpServerResponse response, Context context, long after, Consumer<Viewer> onEnd) {
            super(response, context, after);
            this.onEnd = onEnd;
        }

        void caughtUp(byte[] frames, long upTo) {
            if (isFinished()) {
                return;
            }
            write(Buffer.buffer(frames), upTo);
            joinLive();
        }

        /**
         * Offsets have holes (records without a change), so a batch cannot show a gap: the feed hands out the
         * catch-ups and batches in order under its lock instead.
         */
        @Override
        protected boolean follows(long first) {
            return true;
        }

        @Override
        protected void fellBehind() {
            leave(this);
        }

        @Override
        protected void drained() {
            rejoin(this);
        }

        @Override
        protected void left() {
            leave(this);
            onEnd.accept(this);
        }
    }
}
