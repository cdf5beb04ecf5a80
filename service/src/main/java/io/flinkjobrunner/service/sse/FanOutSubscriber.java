package io.flinkjobrunner.service.sse;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * One SSE connection of a fan-out: it takes the live batches while it keeps up and leaves the live tail when its
 * connection cannot, to catch up from its stream's source and rejoin; so no event is skipped or sent twice.
 *
 * <p>All state changes run on the connection's Vert.x context. The stream supplies the source-specific parts: how to
 * catch up after falling behind ({@link #drained()}), whether its ids show a gap ({@link #follows(long)}) and what
 * to do about one ({@link #missed()}), and what leaving the stream means to it ({@link #left()}).
 */
public abstract class FanOutSubscriber {

    private final HttpServerResponse response;
    private final Context context;
    /** Id of the last event written: the subscriber has every event up to it. */
    private long lastSent;
    /** Taking live batches; false while joining or catching up. */
    private boolean live;
    /** Ended or closed: nothing more is written. */
    private boolean finished;

    /**
     * A subscriber that has seen everything up to {@code after}.
     *
     * @param response the SSE response, its headers not yet written
     * @param context the response's Vert.x context, where every change of this subscriber runs
     * @param after id of the last event the client has
     */
    protected FanOutSubscriber(HttpServerResponse response, Context context, long after) {
        this.response = response;
        this.context = context;
        this.lastSent = after;
    }

    /** The connection's Vert.x context, where every change of this subscriber runs. */
    public final Context context() {
        return context;
    }

    /** Id of the last event written. */
    public final long lastSent() {
        return lastSent;
    }

    /** Whether this subscriber takes live batches. */
    public final boolean isLive() {
        return live;
    }

    /** Whether the stream ended or the client closed it. */
    protected final boolean isFinished() {
        return finished;
    }

    /** Starts the stream: ends this subscriber when the client closes the connection, and writes {@code preamble}. */
    public final void open(Buffer preamble) {
        response.closeHandler(v -> closed());
        response.write(preamble);
    }

    /**
     * Offers a live batch, the events {@code first} to {@code last} encoded once in {@code frames} for every
     * subscriber. Written only while this subscriber is live and the batch brings events it does not have yet.
     *
     * @return whether the batch was written
     */
    public final boolean offer(long first, long last, Buffer frames) {
        if (finished || !live || last <= lastSent) {
            return false;
        }
        if (!follows(first)) {
            live = false;
            missed();
            return false;
        }
        if (response.writeQueueFull()) {
            // cannot keep up: leave the live batches, catch up from the source once the socket drained
            live = false;
            fellBehind();
            afterDrain(this::drained);
            return false;
        }
        response.write(frames);
        lastSent = last;
        return true;
    }

    /**
     * Whether a live batch starting at {@code first} follows on from {@link #lastSent()}: by default, with ids that
     * count the events, when it starts right after it. A stream whose ids have holes cannot tell a gap, so it must
     * hand out its catch-ups and batches in order instead, and overrides this.
     */
    protected boolean follows(long first) {
        return first == lastSent + 1;
    }

    /** Events before a live batch were missed; this subscriber has left the live tail. By default as after a drain. */
    protected void missed() {
        drained();
    }

    /** The connection could not take a live batch; this subscriber has left the live tail. */
    protected abstract void fellBehind();

    /** The connection drained after falling behind: catch up from the source, then {@link #joinLive()}. */
    protected abstract void drained();

    /** This subscriber ended or was closed: it leaves its stream. Runs once. */
    protected abstract void left();

    /** The source may have missed events (its notifications were interrupted): catch up as after a gap. */
    public final void resynchronize() {
        if (!finished && live) {
            live = false;
            missed();
        }
    }

    /** Writes catch-up frames (none if empty) that bring this subscriber up to {@code upTo}. */
    protected final void write(Buffer frames, long upTo) {
        if (frames.length() > 0) {
            response.write(frames);
        }
        lastSent = Math.max(lastSent, upTo);
    }

    /** Caught up: takes live batches from now on. */
    protected final void joinLive() {
        live = true;
    }

    /** Whether the connection's write queue is full. */
    protected final boolean writeQueueFull() {
        return response.writeQueueFull();
    }

    /** Runs {@code step} once the connection's write queue has drained. */
    protected final void afterDrain(Runnable step) {
        response.drainHandler(v -> {
            response.drainHandler(null);
            step.run();
        });
    }

    /** Runs {@code step} now if the connection can take more, else once it has drained. */
    protected final void whenWritable(Runnable step) {
        if (response.writeQueueFull()) {
            afterDrain(step);
        } else {
            step.run();
        }
    }

    /** Writes a heartbeat, unless the stream is over or the connection is busy anyway. */
    public final void heartbeat(Buffer beat) {
        if (!finished && !response.writeQueueFull()) {
            response.write(beat);
        }
    }

    /** Ends the stream with {@code done} as its last frame ({@code null}: none), unless the connection is gone. */
    public final void end(byte[] done) {
        if (finished) {
            return;
        }
        finished = true;
        if (!response.ended() && !response.closed()) {
            if (done != null) {
                response.write(Buffer.buffer(done));
            }
            response.end();
        }
        left();
    }

    /** The client closed the connection. */
    public final void closed() {
        if (finished) {
            return;
        }
        finished = true;
        left();
    }
}
