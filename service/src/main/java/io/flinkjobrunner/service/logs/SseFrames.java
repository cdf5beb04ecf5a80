package io.flinkjobrunner.service.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.store.StoredEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Renders stored events as Server-Sent Events and as plain text. Durable events carry {@code id: <seq>}; control frames
 * (heartbeat, done) never carry an id, so a client's Last-Event-ID always names a stored event.
 */
public final class SseFrames {

    /** Heartbeat comment, sent while a stream is idle. */
    public static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);
    /** Reconnect delay advice sent once at the start of a stream. */
    public static final byte[] RETRY = "retry: 2000\n\n".getBytes(StandardCharsets.UTF_8);

    private static final ObjectMapper JSON = new ObjectMapper();

    private SseFrames() {
    }

    /**
     * Where a stream resumes: the {@code Last-Event-ID} header, else the {@code after} query parameter.
     *
     * @param lastEventId the header's value, or null
     * @param after the query parameter's value, or null
     * @param idKind what an id names, for the error (e.g. {@code "an event id"})
     * @return the id after which to resume, or null when neither is given
     * @throws ApiProblemException 400 when the one given is not a non-negative integer
     */
    public static Long resumeAfter(String lastEventId, String after, String idKind) {
        String v = lastEventId;
        String source = "Last-Event-ID";
        if (v == null || v.isBlank()) {
            v = after;
            source = "after";
        }
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiProblemException.invalid(Reason.INVALID_REQUEST,
                    List.of(source + " must be a non-negative integer (" + idKind + ")"));
        }
    }

    /** Encodes events as consecutive SSE frames. */
    public static byte[] encode(List<StoredEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 96);
        StringBuilder sb = new StringBuilder(128);
        for (StoredEvent e : events) {
            sb.setLength(0);
            appendEvent(sb, e.seq(), e.kind().wire(), data(e));
            out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /**
     * Appends one SSE frame with an id: {@code id}, {@code event} and {@code data} (split into one {@code data:} line
     * per line of {@code data}), ended by a blank line. Every durable stream of the service (job logs, alerts) frames
     * its events through this.
     */
    public static void appendEvent(StringBuilder sb, long id, String event, String data) {
        sb.append("id: ").append(id).append('\n');
        sb.append("event: ").append(event).append('\n');
        appendData(sb, data);
        sb.append('\n');
    }

    /** The final {@code done} frame with the job's terminal status. */
    public static byte[] done(String status) {
        return ("event: done\ndata: {\"status\":\"" + status + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The data of an event: a log line with timestamp and step, or the JSON of a status change. */
    public static String data(StoredEvent e) {
        if (e.kind() == StoredEvent.Kind.STATUS) {
            return e.body();
        }
        return line(e, e.body());
    }

    /** One line of the plain-text log; status changes become readable lines too. */
    public static String plainLine(StoredEvent e) {
        if (e.kind() == StoredEvent.Kind.LOG) {
            return line(e, e.body());
        }
        try {
            JsonNode n = JSON.readTree(e.body());
            StringBuilder text = new StringBuilder();
            if (n.hasNonNull("stepStatus")) {
                text.append("step ").append(n.path("step").asText()).append(": ").append(n.get("stepStatus").asText());
            } else if (n.hasNonNull("step")) {
                detail(n, text);
            } else {
                text.append("job ").append(n.path("status").asText());
                if (n.hasNonNull("attempt")) {
                    text.append(" (attempt ").append(n.get("attempt").asInt());
                    if (n.hasNonNull("owner")) {
                        text.append(" on ").append(n.get("owner").asText());
                    }
                    text.append(')');
                }
                if (n.hasNonNull("reason")) {
                    text.append(": ").append(n.get("reason").asText());
                }
                if (n.hasNonNull("lastError")) {
                    text.append(": ").append(n.get("lastError").asText());
                }
            }
            return line(e, text.toString());
        } catch (IOException ex) {
            return line(e, e.body());
        }
    }

    /** A step's detail event as {@code <kind>: key=value key=value}. */
    private static void detail(JsonNode n, StringBuilder text) {
        n.fields().forEachRemaining(field -> {
            if (field.getValue().isObject()) {
                text.append(field.getKey()).append(':');
                field.getValue().fields().forEachRemaining(f -> text.append(' ').append(f.getKey()).append('=')
                        .append(f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
            }
        });
    }

    /** The terminal status named by a terminal status event. */
    public static String status(StoredEvent e) {
        try {
            return JSON.readTree(e.body()).path("status").asText();
        } catch (IOException ex) {
            return "UNKNOWN";
        }
    }

    private static String line(StoredEvent e, String text) {
        StringBuilder sb = new StringBuilder(32 + text.length());
        DateTimeFormatter.ISO_INSTANT.formatTo(e.at(), sb);
        sb.append(" [").append(e.step() == null ? "job" : e.step()).append("] ").append(text);
        return sb.toString();
    }

    private static void appendData(StringBuilder sb, String data) {
        int start = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\n' || c == '\r') {
                sb.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        sb.append("data: ").append(data, start, data.length()).append('\n');
    }
}
