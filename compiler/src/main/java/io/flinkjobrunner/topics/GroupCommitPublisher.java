package io.flinkjobrunner.topics;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit in front of a {@link TopicPublisher}: the records of concurrent callers are published together, one
 * {@link TopicPublisher#publish} (one round trip to the broker) per group, and every caller returns once the group
 * holding its records is acknowledged.
 *
 * <p>One committer thread publishes one group at a time; while it waits for the broker, the records of new callers
 * queue up and form the next group. A lone caller therefore pays one round trip, and under concurrent load the round
 * trips are shared instead of each caller flushing the producer for itself (which also made every caller wait for the
 * records of all the others). Groups are published in arrival order and a caller's records stay together and in
 * order, so records of one key are published in the order their callers arrived. A failed group fails every caller
 * in it: none of them is told its records are safe.
 */
public final class GroupCommitPublisher implements TopicPublisher, AutoCloseable {

    private final TopicPublisher target;
    private final int maxGroupRecords;
    private final Duration timeout;
    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Thread committer;
    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong callers = new AtomicLong();
    private boolean closed;

    /**
     * Starts the committer thread.
     *
     * @param target publishes one group and returns once the broker acknowledged it; only the committer calls it
     * @param maxGroupRecords a group takes further callers only while it stays within this many records (a caller
     *     with more records forms a group of its own)
     * @param timeout longest wait of a caller ({@link #submit}, {@link #publish}) for its group, queueing included;
     *     give it room for the group ahead and the caller's own, e.g. twice the target's timeout
     * @param name name of the committer thread
     */
    public GroupCommitPublisher(TopicPublisher target, int maxGroupRecords, Duration timeout, String name) {
        this.target = Objects.requireNonNull(target, "target");
        if (maxGroupRecords < 1) {
            throw new IllegalArgumentException("maxGroupRecords must be at least 1, got " + maxGroupRecords);
        }
        this.maxGroupRecords = maxGroupRecords;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.committer = new Thread(this::commitGroups, name);
        committer.setDaemon(true);
        committer.start();
    }

    /**
     * Queues {@code records} for the next group.
     *
     * @return completes once the group holding the records is acknowledged, or exceptionally with the
     *     {@link TopicPublishException} of the group, or with one saying it was not acknowledged within the timeout
     *     (the records may still be published after that)
     */
    public CompletableFuture<Void> submit(List<TopicRecord> records) {
        return bounded(queue(records));
    }

    private CompletableFuture<Void> queue(List<TopicRecord> records) {
        Pending pending = new Pending(List.copyOf(records), new CompletableFuture<>());
        if (pending.records.isEmpty()) {
            pending.done.complete(null);
            return pending.done;
        }
        synchronized (lock) {
            if (closed) {
                pending.done.completeExceptionally(new TopicPublishException("the publisher is closed", null));
                return pending.done;
            }
            queue.add(pending);
            lock.notifyAll();
        }
        return pending.done;
    }

    /**
     * {@code done} as a caller sees it: ended by the timeout if the committer has not ended it by then. A copy, so
     * that the committer's own future is only ever completed by the committer.
     */
    private CompletableFuture<Void> bounded(CompletableFuture<Void> done) {
        return done.copy().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof TimeoutException
                    ? new TopicPublishException("publishing was not acknowledged within " + timeout, cause) : cause);
        });
    }

    /** Publishes {@code records} with the next group and waits for its acknowledgement (at most the timeout). */
    @Override
    public void publish(List<TopicRecord> records) {
        try {
            submit(records).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicPublishException failure) {
                throw failure;
            }
            throw new TopicPublishException("cannot publish: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicPublishException("interrupted while publishing", e);
        }
    }

    /** Groups published so far (successful or not). */
    public long groups() {
        return groups.get();
    }

    /** Callers whose records were in those groups. */
    public long callers() {
        return callers.get();
    }

    /** Stops taking records, publishes what is queued, then ends the committer thread (the target stays open). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            committer.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left;
        synchronized (lock) {
            left = new ArrayList<>(queue);
            queue.clear();
        }
        left.forEach(p -> p.done.completeExceptionally(new TopicPublishException("the publisher was closed before "
                + "the records were published", null)));
    }

    private void commitGroups() {
        while (true) {
            List<Pending> group = nextGroup();
            if (group == null) {
                return;
            }
            List<TopicRecord> records = new ArrayList<>();
            group.forEach(p -> records.addAll(p.records));
            groups.incrementAndGet();
            callers.addAndGet(group.size());
            try {
                target.publish(records);
            } catch (RuntimeException e) {
                TopicPublishException failure = e instanceof TopicPublishException publish ? publish
                        : new TopicPublishException("cannot publish: " + e.getMessage(), e);
                group.forEach(p -> p.done.completeExceptionally(failure));
                continue;
            } catch (Error e) {
                group.forEach(p -> p.done.completeExceptionally(e));
                throw e;
            }
            group.forEach(p -> p.done.complete(null));
        }
    }

    /** The callers queued now, oldest first, within {@link #maxGroupRecords}; null once closed and drained. */
    private List<Pending> nextGroup() {
        synchronized (lock) {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // only close() ends the committer; it drains the queue first
                }
            }
            List<Pending> group = new ArrayList<>();
            int size = 0;
            do {
                Pending next = queue.poll();
                group.add(next);
                size += next.records.size();
            } while (!queue.isEmpty() && size + queue.peek().records.size() <= maxGroupRecords);
            return group;
        }
    }

    private record Pending(List<TopicRecord> records, CompletableFuture<Void> done) {
    }
}
