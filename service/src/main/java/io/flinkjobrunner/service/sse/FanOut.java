package io.flinkjobrunner.service.sse;

import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The subscribers of one stream that a live batch goes to, grouped by event loop, so that a batch encoded once is
 * handed to each event loop once and its one buffer written to every subscriber there. Not thread-safe: the stream's
 * lock guards it, so that batches are handed out in the order of their ids.
 */
public final class FanOut<S extends FanOutSubscriber> {

    private final List<S> subscribers = new ArrayList<>();
    /** The subscribers by event loop, immutable; rebuilt only after a subscriber joins or leaves. */
    private Map<Context, List<S>> byContext;

    /** Adds a subscriber. */
    public void add(S subscriber) {
        subscribers.add(subscriber);
        byContext = null;
    }

    /** Removes a subscriber; whether it was there. */
    public boolean remove(S subscriber) {
        boolean removed = subscribers.remove(subscriber);
        if (removed) {
            byContext = null;
        }
        return removed;
    }

    /** Removes every subscriber; the ones there were. */
    public List<S> clear() {
        List<S> all = snapshot();
        subscribers.clear();
        byContext = null;
        return all;
    }

    /** Whether no subscriber is there. */
    public boolean isEmpty() {
        return subscribers.isEmpty();
    }

    /** Number of subscribers. */
    public int size() {
        return subscribers.size();
    }

    /** The subscribers now, a copy. */
    public List<S> snapshot() {
        return new ArrayList<>(subscribers);
    }

    /**
     * A batch for the subscribers there now: running it queues {@code onLoop} once on each of their event loops,
     * with that loop's subscribers. Made under the stream's lock, so that it reaches exactly the subscribers there
     * then; batches must run in the order they were made, so that each event loop gets them in the order of their ids.
     */
    public Runnable handOut(Consumer<List<S>> onLoop) {
        if (byContext == null) {
            Map<Context, List<S>> grouped = new HashMap<>();
            for (S s : subscribers) {
                grouped.computeIfAbsent(s.context(), c -> new ArrayList<>()).add(s);
            }
            grouped.replaceAll((c, list) -> List.copyOf(list));
            byContext = Map.copyOf(grouped);
        }
        Map<Context, List<S>> groups = byContext;
        return () -> groups.forEach((context, subs) -> context.runOnContext(v -> onLoop.accept(subs)));
    }
}
