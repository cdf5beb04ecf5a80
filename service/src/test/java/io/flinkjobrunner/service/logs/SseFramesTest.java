package io.flinkjobrunner.service.logs;

import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseFramesTest {

    private static final Instant AT = Instant.parse("2026-11-22T05:00:00.123456Z");

    @Test
    void encodesLogAndStatusEventsWithIds() {
        List<StoredEvent> events = List.of(
                new StoredEvent("j", 7, StoredEvent.Kind.LOG, AT, "parse", "Parsed 12 triples"),
                new StoredEvent("j", 8, StoredEvent.Kind.STATUS, AT, null, "{\"jobId\":\"j\",\"status\":\"FAILED\"}"));
        assertEquals("id: 7\nevent: log\ndata: 2026-11-22T05:00:00.123456Z [parse] Parsed 12 triples\n\n"
                        + "id: 8\nevent: status\ndata: {\"jobId\":\"j\",\"status\":\"FAILED\"}\n\n",
                new String(SseFrames.encode(events), StandardCharsets.UTF_8));
    }

    @Test
    void splitsMultiLineDataIntoSeveralDataFields() {
        StoredEvent e = new StoredEvent("j", 1, StoredEvent.Kind.LOG, AT, null, "a\nb\r\nc");
        assertEquals("id: 1\nevent: log\ndata: 2026-11-22T05:00:00.123456Z [job] a\ndata: b\ndata: c\n\n",
                new String(SseFrames.encode(List.of(e)), StandardCharsets.UTF_8));
    }

    @Test
    void controlFramesCarryNoId() {
        assertEquals("event: done\ndata: {\"status\":\"CANCELLED\"}\n\n",
                new String(SseFrames.done("CANCELLED"), StandardCharsets.UTF_8));
        assertFalse(new String(SseFrames.HEARTBEAT, StandardCharsets.UTF_8).contains("id:"));
    }

    @Test
    void recognisesTerminalStatusEventsOnly() {
        assertTrue(new StoredEvent("j", 1, StoredEvent.Kind.STATUS, AT, null,
                "{\"jobId\":\"j\",\"status\":\"SUCCEEDED\",\"at\":\"x\"}").terminal());
        assertFalse(new StoredEvent("j", 1, StoredEvent.Kind.STATUS, AT, "s",
                "{\"jobId\":\"j\",\"status\":\"RUNNING\",\"step\":\"s\",\"stepStatus\":\"FAILED\"}").terminal());
        assertFalse(new StoredEvent("j", 1, StoredEvent.Kind.STATUS, AT, null,
                "{\"jobId\":\"j\",\"status\":\"RUNNING\",\"lastError\":\"\\\"status\\\":\\\"FAILED\\\"\"}").terminal());
        assertFalse(new StoredEvent("j", 1, StoredEvent.Kind.LOG, AT, null, "\"status\":\"FAILED\"").terminal());
    }

    @Test
    void rendersStatusChangesAsReadablePlainLines() {
        assertEquals("2026-11-22T05:00:00.123456Z [job] job FAILED: boom", SseFrames.plainLine(new StoredEvent("j", 1,
                StoredEvent.Kind.STATUS, AT, null, "{\"jobId\":\"j\",\"status\":\"FAILED\",\"lastError\":\"boom\"}")));
        assertEquals("2026-11-22T05:00:00.123456Z [parse] step parse: RUNNING", SseFrames.plainLine(new StoredEvent("j",
                1, StoredEvent.Kind.STATUS, AT, "parse",
                "{\"jobId\":\"j\",\"status\":\"RUNNING\",\"step\":\"parse\",\"stepStatus\":\"RUNNING\"}")));
    }

    @Test
    void resumesAfterTheLastEventIdHeaderElseTheAfterParameter() {
        assertEquals(7L, SseFrames.resumeAfter("7", "3", "an event id"));
        assertEquals(3L, SseFrames.resumeAfter(" ", "3", "an event id"));
        assertEquals(0L, SseFrames.resumeAfter(null, " 0 ", "an event id"));
        assertNull(SseFrames.resumeAfter(null, null, "an event id"));
    }

    @Test
    void refusesIdsThatAreNotNonNegativeIntegersNamingWhereTheyCameFrom() {
        ApiProblemException header = assertThrows(ApiProblemException.class,
                () -> SseFrames.resumeAfter("-1", null, "an alert event id"));
        assertEquals(Reason.INVALID_REQUEST, header.reason());
        assertEquals(List.of("Last-Event-ID must be a non-negative integer (an alert event id)"),
                header.extensions().get("errors"));
        ApiProblemException param = assertThrows(ApiProblemException.class,
                () -> SseFrames.resumeAfter(null, "abc", "an event id"));
        assertEquals(List.of("after must be a non-negative integer (an event id)"), param.extensions().get("errors"));
    }
}
