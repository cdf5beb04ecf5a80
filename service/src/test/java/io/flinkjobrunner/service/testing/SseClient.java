package io.flinkjobrunner.service.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A minimal Server-Sent Events reader for tests (parses id/event/data fields and comments). */
public final class SseClient {

    /** One received frame; {@code id} is null for frames without an id. */
    public record Frame(String id, String event, String data, boolean comment) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SseClient() {
    }

    /**
     * Reads frames until the stream closes or {@code maxFrames} non-comment frames were read.
     *
     * @param lastEventId sent as Last-Event-ID when not null
     */
    public static List<Frame> read(URI uri, String lastEventId, int maxFrames, Duration timeout) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("SSE request failed: " + r.statusCode() + " " + new String(r.body().readAllBytes()));
        }
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            throw new AssertionError("not an event stream: " + r.headers());
        }
        List<Frame> frames = new ArrayList<>();
        int events = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            boolean comment = false;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || comment) {
                        frames.add(new Frame(id, event == null ? "message" : event,
                                data == null ? null : data.toString(), comment && data == null));
                        if (data != null && ++events >= maxFrames) {
                            return frames;
                        }
                    }
                    id = null;
                    event = null;
                    data = null;
                    comment = false;
                } else if (line.startsWith(":")) {
                    comment = true;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        }
        return frames;
    }
}
