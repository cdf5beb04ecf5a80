package io.flinkjobrunner.service.deploy;

import io.flinkjobrunner.service.store.FencingToken;
import java.util.Map;
import java.util.Optional;

/** Where the Kubernetes deployer reports (job log, {@code status} events of the SSE stream) and learns of a cancel. */
public interface DeployProgress {

    /** One line of the job log. */
    void log(String line);

    /** A {@code status} event mirroring the operator's view (lifecycleState, jobState, error, …). */
    void status(Map<String, Object> fields);

    /** True once the job's cancellation was requested. */
    boolean cancelRequested();

    /**
     * Called right before every change a backend makes outside the service's database (a Kubernetes object created,
     * updated or deleted, a topic, the local engine): throws
     * {@link io.flinkjobrunner.service.state.OwnershipLostException} once this replica lost the job, which the
     * backend lets through without rolling back: the replica that holds the job now decides. Returns only while this
     * replica's lease covers the change.
     */
    default void beforeChange() {
    }

    /** The job's fencing token, held by the database writes a backend makes for it (stored semantic data). */
    default Optional<FencingToken> fencingToken() {
        return Optional.empty();
    }
}
