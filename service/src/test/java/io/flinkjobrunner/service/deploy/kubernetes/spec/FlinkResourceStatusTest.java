package io.flinkjobrunner.service.deploy.kubernetes.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkResourceStatus.Verdict;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlinkResourceStatusTest {

    private static GenericKubernetesResource resource(long generation, Map<String, Object> status) {
        GenericKubernetesResource resource = new GenericKubernetesResourceBuilder()
                .withApiVersion("flink.apache.org/v1beta1").withKind("FlinkDeployment")
                .withNewMetadata().withName("shacl").withGeneration(generation).endMetadata().build();
        if (status != null) {
            resource.setAdditionalProperty("status", status);
        }
        return resource;
    }

    private static Map<String, Object> status(Long observed, String lifecycle, String job, String error) {
        Map<String, Object> status = new HashMap<>();
        status.put("observedGeneration", observed);
        status.put("lifecycleState", lifecycle);
        status.put("jobStatus", Map.of("state", job == null ? "" : job));
        status.put("error", error);
        return status;
    }

    @Test
    void stableAndRunningOfTheCurrentGenerationIsReached() {
        Verdict verdict = FlinkResourceStatus.of(resource(3, status(3L, "STABLE", "RUNNING", null))).runningVerdict();
        assertInstanceOf(Verdict.Reached.class, verdict);
    }

    @Test
    void statusOfAnOlderGenerationIsNotTrusted() {
        FlinkResourceStatus status = FlinkResourceStatus.of(resource(4, status(3L, "STABLE", "RUNNING", null)));
        assertInstanceOf(Verdict.Pending.class, status.runningVerdict());
        FlinkResourceStatus failedOld = FlinkResourceStatus.of(resource(4, status(3L, "FAILED", "FAILED", "boom")));
        assertInstanceOf(Verdict.Pending.class, failedOld.runningVerdict());
    }

    @Test
    void missingStatusIsPending() {
        assertInstanceOf(Verdict.Pending.class, FlinkResourceStatus.of(resource(1, null)).runningVerdict());
    }

    @Test
    void deployedButNotYetStableIsPending() {
        assertInstanceOf(Verdict.Pending.class,
                FlinkResourceStatus.of(resource(1, status(1L, "DEPLOYED", "RUNNING", null))).runningVerdict());
    }

    @Test
    void operatorErrorFailsWithItsMessage() {
        String error = "{\"type\":\"org.apache.flink.kubernetes.operator.exception.ReconciliationException\","
                + "\"message\":\"Could not find required sink format 'key.format'\"}";
        Verdict verdict = FlinkResourceStatus.of(resource(2, status(2L, "FAILED", "FAILED", error))).runningVerdict();
        assertEquals(new Verdict.Failed("Could not find required sink format 'key.format'"), verdict);
    }

    @Test
    void rollbackByTheOperatorIsAFailure() {
        Verdict verdict = FlinkResourceStatus.of(resource(2, status(2L, "ROLLED_BACK", "RUNNING", null)))
                .runningVerdict();
        assertInstanceOf(Verdict.Failed.class, verdict);
    }

    @Test
    void suspendedIsReachedForUndeploy() {
        assertInstanceOf(Verdict.Reached.class, FlinkResourceStatus.of(resource(5, status(5L, "SUSPENDED",
                "FINISHED", null))).suspendedVerdict(null));
    }

    private static final String REJECTED = "{\"type\":\"org.apache.flink.kubernetes.operator.exception."
            + "ValidationException\",\"message\":\"Checkpoint directory[execution.checkpointing.dir] must be "
            + "defined for last-state and savepoint upgrade modes\"}";

    @Test
    void anErrorOfAResourceNeverObservedFailsAtOnce() {
        FlinkResourceStatus rejected = FlinkResourceStatus.of(resource(1, status(null, "FAILED", null, REJECTED)));
        assertEquals(new Verdict.Failed("the operator rejected generation 1 (observed: null, lifecycleState FAILED): "
                + "Checkpoint directory[execution.checkpointing.dir] must be defined for last-state and savepoint "
                + "upgrade modes"), rejected.runningVerdict());
        FlinkResourceStatus justCreated = FlinkResourceStatus.of(resource(1, null));
        assertInstanceOf(Verdict.Failed.class, rejected.runningVerdict(justCreated));
    }

    @Test
    void anErrorWrittenAfterAnUpdateFailsAlthoughTheGenerationStaysOld() {
        FlinkResourceStatus before = FlinkResourceStatus.of(resource(2, status(1L, "STABLE", "RUNNING", null)));
        FlinkResourceStatus after = FlinkResourceStatus.of(resource(2, status(1L, "FAILED", "RUNNING", REJECTED)));
        assertInstanceOf(Verdict.Pending.class, after.runningVerdict(), "alone, an old generation's error may be stale");
        Verdict verdict = after.runningVerdict(before);
        assertEquals(new Verdict.Failed("the operator rejected generation 2 (observed: 1, lifecycleState FAILED): "
                + "Checkpoint directory[execution.checkpointing.dir] must be defined for last-state and savepoint "
                + "upgrade modes"), verdict);
        assertInstanceOf(Verdict.Pending.class, after.runningVerdict(after),
                "the error the resource already carried when the spec changed is not an answer to the change");
        assertInstanceOf(Verdict.Failed.class, after.suspendedVerdict(before));
    }

    @Test
    void plainTextErrorsAreKeptAndBounded() {
        assertEquals("plain", FlinkResourceStatus.errorMessage("plain"));
        assertEquals(2001, FlinkResourceStatus.errorMessage("x".repeat(5000)).length());
        assertNull(FlinkResourceStatus.errorMessage(null));
    }
}
