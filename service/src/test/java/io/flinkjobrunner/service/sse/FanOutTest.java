package io.flinkjobrunner.service.sse;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out protocol without a server: connections are stand-ins whose write queue the test fills and drains, the
 * source is a list of events, and each subscriber's calls run on the test thread as they would on its event loop.
 */
class FanOutTest {

    private static Vertx vertx;
    private static Context context;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aSlowSubscriberFallsBehindAndCatchesUpFromTheSourceWithoutGapOrDuplicate() {
        Source source = new Source();
        Connection fast = new Connection();
        Connection slow = new Connection();
        Reader a = new Reader(fast, 0, source);
        Reader b = new Reader(slow, 0, source);
        a.catchUp();
        b.catchUp();

        Buffer first = source.publish(3);
        assertTrue(a.offer(1, 3, first));
        assertTrue(b.offer(1, 3, first));
        assertSame(fast.written.get(0), slow.written.get(0), "a batch is encoded once, for every subscriber");

        slow.full = true;
        Buffer second = source.publish(3);
        assertTrue(a.offer(4, 6, second));
        assertFalse(b.offer(4, 6, second), "a full connection leaves the live tail");
        assertEquals(1, b.fellBehind);
        assertFalse(b.isLive());
        Buffer third = source.publish(3);
        assertTrue(a.offer(7, 9, third));
        slow.full = false;
        assertFalse(b.offer(7, 9, third), "behind, it takes no live batch even with room again");

        slow.drain();
        assertNull(slow.drainHandler, "the drain handler runs once");
        assertTrue(b.isLive(), "caught up, it rejoins the live tail");
        assertEquals(9, b.lastSent());
        Buffer fourth = source.publish(3);
        assertTrue(a.offer(10, 12, fourth));
        assertTrue(b.offer(10, 12, fourth));
        assertFalse(b.offer(10, 12, fourth), "a batch it has is not written twice");

        assertEquals(ids(1, 12), fast.ids());
        assertEquals(ids(1, 12), slow.ids());
    }

    @Test
    void aBatchAfterAGapSendsTheSubscriberBackToTheSource() {
        Source source = new Source();
        Connection connection = new Connection();
        Reader reader = new Reader(connection, 0, source);
        reader.catchUp();
        source.publish(2);
        Buffer missed = source.publish(2);
        assertFalse(reader.offer(3, 4, missed), "events 1 and 2 never reached it live");
        assertTrue(reader.isLive());
        assertEquals(ids(1, 4), connection.ids());
    }

    @Test
    void aSubscriberResumesAfterItsLastEventId() {
        Source source = new Source();
        source.publish(5);
        Connection connection = new Connection();
        Reader reader = new Reader(connection, 3, source);
        reader.catchUp();
        assertFalse(reader.offer(2, 3, Buffer.buffer("old")), "events up to the resume point are not sent again");
        assertEquals(ids(4, 5), connection.ids());
    }

    @Test
    void heartbeatsGoOnlyWhereTheConnectionHasRoom() {
        Connection connection = new Connection();
        Reader reader = new Reader(connection, 0, new Source());
        Buffer beat = Buffer.buffer(": heartbeat\n\n");
        connection.full = true;
        reader.heartbeat(beat);
        connection.full = false;
        reader.heartbeat(beat);
        assertEquals(1, connection.written.size());
    }

    @Test
    void theStreamEndsOnceWithItsDoneFrame() {
        Connection connection = new Connection();
        Reader reader = new Reader(connection, 0, new Source());
        reader.open(Buffer.buffer("retry: 2000\n\n"));
        reader.end("event: done\n\n".getBytes(StandardCharsets.UTF_8));
        reader.end("event: done\n\n".getBytes(StandardCharsets.UTF_8));
        connection.close();
        assertTrue(connection.ended);
        assertEquals(List.of("retry: 2000\n\n", "event: done\n\n"), connection.text());
        assertEquals(1, reader.left, "it leaves its stream once");

        Connection closing = new Connection();
        Reader closed = new Reader(closing, 0, new Source());
        closed.open(Buffer.buffer("retry: 2000\n\n"));
        closing.close();
        closed.end(null);
        assertFalse(closing.ended, "a closed connection is not written to");
        assertEquals(1, closed.left);
    }

    @Test
    void aBatchIsHandedToEachEventLoopOnceWithItsSubscribers() throws InterruptedException {
        Context other = contextOfAnotherThread();
        assertNotSame(context, other);
        FanOut<Reader> fanOut = new FanOut<>();
        Reader a = new Reader(new Connection(), 0, new Source(), context);
        Reader b = new Reader(new Connection(), 0, new Source(), other);
        Reader c = new Reader(new Connection(), 0, new Source(), context);
        fanOut.add(a);
        fanOut.add(b);
        fanOut.add(c);
        assertTrue(fanOut.remove(b));
        assertFalse(fanOut.remove(b));
        fanOut.add(b);
        Map<Context, List<Reader>> handed = new ConcurrentHashMap<>();
        CountDownLatch loops = new CountDownLatch(2);
        Runnable batch = fanOut.handOut(readers -> {
            assertNull(handed.put(Vertx.currentContext(), readers), "one task per event loop");
            loops.countDown();
        });
        fanOut.remove(c);
        batch.run();
        assertTrue(loops.await(10, TimeUnit.SECONDS));
        assertEquals(Map.of(context, List.of(a, c), other, List.of(b)), handed,
                "a batch goes to the subscribers there when it was made");
        assertEquals(List.of(a, b), fanOut.clear());
        assertTrue(fanOut.isEmpty());
    }

    /** A context of its own: a thread that is not Vert.x's keeps the one it gets first. */
    private static Context contextOfAnotherThread() throws InterruptedException {
        Context[] made = new Context[1];
        Thread thread = new Thread(() -> made[0] = vertx.getOrCreateContext());
        thread.start();
        thread.join();
        return made[0];
    }

    private static List<Long> ids(long first, long last) {
        List<Long> ids = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            ids.add(id);
        }
        return ids;
    }

    /** The source of truth: events 1, 2, ... as SSE frames. */
    private static final class Source {
        final List<String> frames = new ArrayList<>();

        /** Appends {@code n} events and returns them encoded once, as a live batch. */
        Buffer publish(int n) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String frame = "id: " + (frames.size() + 1) + "\n\n";
                frames.add(frame);
                batch.append(frame);
            }
            return Buffer.buffer(batch.toString());
        }

        Buffer after(long id) {
            StringBuilder out = new StringBuilder();
            frames.subList((int) id, frames.size()).forEach(out::append);
            return Buffer.buffer(out.toString());
        }
    }

    /** A subscriber of consecutive ids that catches up from the source in one read. */
    private static final class Reader extends FanOutSubscriber {
        final Source source;
        int fellBehind;
        int left;

        Reader(Connection connection, long after, Source source) {
            this(connection, after, source, FanOutTest.context);
        }

        Reader(Connection connection, long after, Source source, Context context) {
            super(connection.response, context, after);
            this.source = source;
        }

        void catchUp() {
            write(source.after(lastSent()), source.frames.size());
            joinLive();
        }

        @Override
        protected void fellBehind() {
            fellBehind++;
        }

        @Override
        protected void drained() {
            catchUp();
        }

        @Override
        protected void left() {
            left++;
        }
    }

    /** A stand-in for a connection: records what is written; the test fills its write queue and drains it. */
    private static final class Connection {
        final List<Buffer> written = new ArrayList<>();
        boolean full;
        boolean ended;
        boolean closed;
        Handler<Void> drainHandler;
        Handler<Void> closeHandler;
        final HttpServerResponse response = (HttpServerResponse) Proxy.newProxyInstance(
                HttpServerResponse.class.getClassLoader(), new Class<?>[] {HttpServerResponse.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "write" -> {
                        assertFalse(ended || closed, "written after the end");
                        written.add((Buffer) args[0]);
                        yield Future.succeededFuture();
                    }
                    case "writeQueueFull" -> full;
                    case "drainHandler" -> {
                        drainHandler = cast(args[0]);
                        yield proxy;
                    }
                    case "closeHandler" -> {
                        closeHandler = cast(args[0]);
                        yield proxy;
                    }
                    case "end" -> {
                        ended = true;
                        yield Future.succeededFuture();
                    }
                    case "ended" -> ended;
                    case "closed" -> closed;
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        @SuppressWarnings("unchecked")
        private static Handler<Void> cast(Object handler) {
            return (Handler<Void>) handler;
        }

        /** The client goes away. */
        void close() {
            closed = true;
            closeHandler.handle(null);
        }

        void drain() {
            assertNotNull(drainHandler, "waiting for the connection to drain");
            drainHandler.handle(null);
        }

        List<String> text() {
            return written.stream().map(Buffer::toString).toList();
        }

        /** The ids of the events written, in order. */
        List<Long> ids() {
            List<Long> ids = new ArrayList<>();
            for (String text : text()) {
                text.lines().filter(l -> l.startsWith("id: ")).forEach(l -> ids.add(Long.parseLong(l.substring(4))));
            }
            return ids;
        }
    }
}
