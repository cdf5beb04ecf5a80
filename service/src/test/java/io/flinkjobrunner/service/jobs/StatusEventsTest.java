package io.flinkjobrunner.service.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.service.logs.SseFrames;
import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.store.NewEvent;
import io.flinkjobrunner.service.store.StoredEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Detail status events of a step: their JSON, their plain-text line, and that they never end a stream. */
class StatusEventsTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    private static StoredEvent stored(NewEvent event) {
        return new StoredEvent("d1", 7, event.kind(), event.at(), event.step(), event.body());
    }

    @Test
    void aDetailNestsItsFieldsUnderItsKindAndIsNeverTerminal() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("resource", "FlinkDeployment/shacl");
        fields.put("lifecycleState", "FAILED");
        fields.put("jobState", "FAILED");
        fields.put("status", "FAILED");
        fields.put("error", null);
        StoredEvent detail = stored(StatusEvents.detail("d1", "deploy", "flink", fields, AT));
        assertEquals("{\"jobId\":\"d1\",\"status\":\"RUNNING\",\"step\":\"deploy\",\"at\":\"2026-01-02T03:04:05Z\","
                + "\"flink\":{\"resource\":\"FlinkDeployment/shacl\",\"lifecycleState\":\"FAILED\",\"jobState\":"
                + "\"FAILED\",\"status\":\"FAILED\",\"error\":null}}", detail.body());
        assertFalse(detail.terminal(), "a nested FAILED of the operator does not end the job's stream");
        assertTrue(stored(StatusEvents.job("d1", JobStatus.FAILED, AT, "x")).terminal());
        assertEquals("2026-01-02T03:04:05Z [deploy] flink: resource=FlinkDeployment/shacl lifecycleState=FAILED "
                + "jobState=FAILED status=FAILED error=null", SseFrames.plainLine(detail));
    }

    @Test
    void aKindMustNotShadowTheEventsOwnKeys() {
        assertThrows(IllegalArgumentException.class, () -> StatusEvents.detail("d1", "deploy", "status", Map.of(), AT));
        assertThrows(IllegalArgumentException.class, () -> StatusEvents.detail("d1", "deploy", "Flink", Map.of(), AT));
        assertThrows(IllegalArgumentException.class, () -> StatusEvents.detail("d1", "deploy", null, Map.of(), AT));
    }
}
