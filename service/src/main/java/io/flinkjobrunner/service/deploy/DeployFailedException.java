package io.flinkjobrunner.service.deploy;

import io.flinkjobrunner.service.state.OwnedResource;
import java.util.List;

/**
 * A deploy or undeploy that did not reach its target state. The message says why and what the cluster holds now:
 * {@code leftovers} lists objects a rollback could not remove or restore (empty when the cluster is back where it was).
 */
public class DeployFailedException extends Exception {

    /** Why the operation ended. */
    public enum Reason {
        /** The operator reported an error. */
        OPERATOR_ERROR,
        /** The configured deadline passed before the target state. */
        DEADLINE,
        /** The job was cancelled. */
        CANCELLED,
        /** The Kubernetes API refused or failed a request. */
        API_ERROR,
        /** The semantic data could not be stored in PostgreSQL or published to Kafka. */
        SEMANTIC_DATA
    }

    private final Reason reason;
    private final List<OwnedResource> leftovers;

    public DeployFailedException(Reason reason, String message, List<OwnedResource> leftovers) {
        super(message);
        this.reason = reason;
        this.leftovers = List.copyOf(leftovers);
    }

    /** Why the operation ended. */
    public Reason reason() {
        return reason;
    }

    /** Objects left on the cluster that a rollback could not restore or remove. */
    public List<OwnedResource> leftovers() {
        return leftovers;
    }
}
