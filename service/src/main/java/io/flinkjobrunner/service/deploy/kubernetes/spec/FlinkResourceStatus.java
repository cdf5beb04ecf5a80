package io.flinkjobrunner.service.deploy.kubernetes.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Flink operator reports about a FlinkDeployment or FlinkSessionJob, reduced to the fields deploy decides on.
 *
 * @param generation {@code metadata.generation} of the spec the status belongs to
 * @param observedGeneration {@code status.observedGeneration}, or {@code null} before the operator's first reconcile
 * @param lifecycleState {@code status.lifecycleState} (CREATED, DEPLOYED, STABLE, UPGRADING, SUSPENDED, FAILED, …)
 * @param jobState {@code status.jobStatus.state} (Flink's JobStatus: RUNNING, FAILED, …)
 * @param jobManagerDeploymentStatus {@code status.jobManagerDeploymentStatus} (FlinkDeployment only)
 * @param error the operator's {@code status.error}, reduced to its message
 */
public record FlinkResourceStatus(
        long generation,
        Long observedGeneration,
        String lifecycleState,
        String jobState,
        String jobManagerDeploymentStatus,
        String error) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_LENGTH = 2000;

    /** Reads the status of {@code resource}. */
    public static FlinkResourceStatus of(GenericKubernetesResource resource) {
        JsonNode root = JSON.valueToTree(resource.getAdditionalProperties());
        JsonNode status = root.path("status");
        Long generation = resource.getMetadata().getGeneration();
        return new FlinkResourceStatus(
                generation == null ? 0 : generation,
                status.hasNonNull("observedGeneration") ? status.get("observedGeneration").asLong() : null,
                text(status.path("lifecycleState")),
                text(status.path("jobStatus").path("state")),
                text(status.path("jobManagerDeploymentStatus")),
                errorMessage(text(status.path("error"))));
    }

    /** Whether the status describes the current spec; nothing else in it can be trusted before. */
    public boolean observed() {
        return observedGeneration != null && observedGeneration >= generation;
    }

    /**
     * Decides a deploy (target state running) from this status alone: an error of a generation the operator never
     * observed counts only when it observed none at all (an older generation's error may be stale).
     */
    public Verdict runningVerdict() {
        return runningVerdict(null);
    }

    /**
     * Decides a deploy (target state running) from this status.
     *
     * @param atChange the status the resource carried right after this service changed its spec (all fields null for
     *     a resource just created; {@code null}: unknown, see {@link #runningVerdict()}). An operator without its admission webhook answers a spec it rejects with an
     *     {@code error} and {@code lifecycleState: FAILED} but never observes the generation ({@code
     *     observedGeneration} stays unset for a new resource, old for an update); such an error written after the
     *     change fails the deploy at once instead of waiting for a generation that is never observed.
     */
    public Verdict runningVerdict(FlinkResourceStatus atChange) {
        if (!observed()) {
            Verdict rejected = rejectedSince(atChange);
            return rejected != null ? rejected : new Verdict.Pending(waitingForGeneration());
        }
        Verdict failure = failure();
        if (failure != null) {
            return failure;
        }
        if ("STABLE".equals(lifecycleState) && "RUNNING".equals(jobState)) {
            return new Verdict.Reached("Flink job RUNNING, resource STABLE");
        }
        return new Verdict.Pending(describe());
    }

    /**
     * Decides a suspend (target state suspended, after a savepoint when the upgrade mode takes one).
     *
     * @param atChange the status right after the suspend was requested, see {@link #runningVerdict(FlinkResourceStatus)}
     */
    public Verdict suspendedVerdict(FlinkResourceStatus atChange) {
        if (!observed()) {
            Verdict rejected = rejectedSince(atChange);
            return rejected != null ? rejected : new Verdict.Pending(waitingForGeneration());
        }
        if ("SUSPENDED".equals(lifecycleState)) {
            return new Verdict.Reached("Flink job suspended");
        }
        Verdict failure = failure();
        return failure != null ? failure : new Verdict.Pending(describe());
    }

    /** The fields mirrored into the job's event stream as a {@code status} event. */
    public Map<String, Object> asEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("generation", generation);
        event.put("observedGeneration", observedGeneration);
        event.put("lifecycleState", lifecycleState);
        event.put("jobState", jobState);
        event.put("jobManagerDeploymentStatus", jobManagerDeploymentStatus);
        event.put("error", error);
        return event;
    }

    /** One line for the job log. */
    public String describe() {
        StringBuilder text = new StringBuilder("lifecycleState=").append(lifecycleState)
                .append(" jobStatus.state=").append(jobState);
        if (jobManagerDeploymentStatus != null) {
            text.append(" jobManagerDeploymentStatus=").append(jobManagerDeploymentStatus);
        }
        text.append(" observedGeneration=").append(observedGeneration).append('/').append(generation);
        if (error != null) {
            text.append(" error=").append(error);
        }
        return text.toString();
    }

    /**
     * The operator's rejection of the unobserved generation: an error the status did not carry right after the change
     * (a status rewritten with the very same error cannot be told apart from a stale one and stays pending).
     */
    private Verdict rejectedSince(FlinkResourceStatus atChange) {
        if (error == null || (atChange == null && observedGeneration != null)
                || (atChange != null && atChange.error() != null && sameStatus(atChange))) {
            return null;
        }
        return new Verdict.Failed("the operator rejected generation " + generation + " (observed: "
                + observedGeneration + ", lifecycleState " + lifecycleState + "): " + error);
    }

    private boolean sameStatus(FlinkResourceStatus other) {
        return java.util.Objects.equals(observedGeneration, other.observedGeneration)
                && java.util.Objects.equals(lifecycleState, other.lifecycleState)
                && java.util.Objects.equals(jobState, other.jobState)
                && java.util.Objects.equals(jobManagerDeploymentStatus, other.jobManagerDeploymentStatus)
                && java.util.Objects.equals(error, other.error);
    }

    private String waitingForGeneration() {
        return "waiting for the operator to observe generation " + generation + " (observed: " + observedGeneration + ")";
    }

    private Verdict failure() {
        if ("FAILED".equals(lifecycleState) || "ROLLED_BACK".equals(lifecycleState)
                || "ERROR".equals(jobManagerDeploymentStatus) || "FAILED".equals(jobState)) {
            String reason = error != null ? error : describe();
            return new Verdict.Failed("ROLLED_BACK".equals(lifecycleState)
                    ? "the operator rolled the deployment back: " + reason : reason);
        }
        if (error != null) {
            return new Verdict.Failed(error);
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }

    /** The operator writes {@code error} as JSON ({@code type}, {@code message}, …); keep the message, bounded. */
    static String errorMessage(String error) {
        if (error == null) {
            return null;
        }
        String message = error;
        try {
            JsonNode parsed = JSON.readTree(error);
            if (parsed != null && parsed.hasNonNull("message")) {
                message = parsed.get("message").asText();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            // Older operators write plain text.
        }
        return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) + "…" : message;
    }

    /** The outcome of one observation. */
    public sealed interface Verdict {

        /** A line for the log. */
        String reason();

        /** The target state is reached. */
        record Reached(String reason) implements Verdict {
        }

        /** Not there yet: keep watching. */
        record Pending(String reason) implements Verdict {
        }

        /** The operator reports a failure. */
        record Failed(String reason) implements Verdict {
        }
    }
}
