package io.flinkjobrunner.service.testing;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An SSE connection that stays open while a test acts: frames are read on a background thread and taken with
 * {@link #await}. Comments (heartbeats) are skipped.
 */
public final class LiveSse implements AutoCloseable {

    /** One received event; {@code id} is null for frames without an id. */
    public record Event(String id, String event, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Event END = new Event(null, "<end of stream>", null);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    private final InputStream body;
    private final Thread reader;

    private LiveSse(InputStream body) {
        this.body = body;
        this.reader = new Thread(this::read, "live-sse");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Opens {@code uri} with {@code Accept: text/event-stream}.
     *
     * @param lastEventId sent as Last-Event-ID when not null
     */
    public static LiveSse open(URI uri, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new AssertionError("SSE request failed: " + response.statusCode() + " "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            throw new AssertionError("not an event stream: " + response.headers());
        }
        return new LiveSse(response.body());
    }

    /** Takes events until one matches {@code wanted} and returns it. */
    public Event await(Predicate<Event> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching event within " + timeout + "; seen: " + seen);
            }
            if (event == END) {
                throw new AssertionError("the stream ended before a matching event; seen: " + seen);
            }
            seen.add(event);
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** Takes the events that match {@code wanted} until none has come for {@code quiet}; other events are skipped. */
    public List<Event> awaitQuiet(Predicate<Event> wanted, Duration quiet) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        while (true) {
            Event event = events.poll(quiet.toNanos(), TimeUnit.NANOSECONDS);
            if (event == null) {
                return taken;
            }
            if (event == END) {
                events.add(END);
                return taken;
            }
            seen.add(event);
            if (wanted.test(event)) {
                taken.add(event);
            }
        }
    }

    /** The next event (or the end of the stream as event {@code <end of stream>}). */
    public Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout + "; seen: " + seen);
        }
        seen.add(event);
        return event;
    }

    /** Events taken so far. */
    public List<Event> seen() {
        return List.copyOf(seen);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, event == null ? "message" : event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6))
                            : data.append('\n').append(line.substring(6));
                }
            }
        } catch (java.io.IOException e) {
            // closed by the test
        } finally {
            events.add(END);
        }
    }

    @Override
    public void close() throws Exception {
        body.close();
        reader.join(5000);
    }
}
