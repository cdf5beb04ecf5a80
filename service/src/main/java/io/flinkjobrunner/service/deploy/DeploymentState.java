package io.flinkjobrunner.service.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A deployment as its backend sees it right now.
 *
 * @param phase summary state
 * @param detail one line for people, e.g. {@code FlinkDeployment/shacl: lifecycleState=STABLE jobStatus.state=RUNNING}
 * @param fields backend-specific values for the API (lifecycleState, jobState, error, resources, …)
 */
public record DeploymentState(Phase phase, String detail, Map<String, Object> fields) {

    public DeploymentState {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(detail, "detail");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Summary states across backends. */
    public enum Phase {
        /** Nothing of the deployment exists. */
        ABSENT,
        /** Applied, not yet running (or upgrading). */
        DEPLOYING,
        /** The Flink job runs. */
        RUNNING,
        /** The Flink job is suspended (state kept in a savepoint). */
        SUSPENDED,
        /** The backend reports an error. */
        FAILED
    }
}
