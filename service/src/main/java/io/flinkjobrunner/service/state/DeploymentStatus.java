package io.flinkjobrunner.service.state;

/** State of a deployment as the {@code deployments} table records it. */
public enum DeploymentStatus {
    /** A deploy job is applying it. */
    DEPLOYING,
    /** The last deploy reached its target state (job RUNNING). */
    RUNNING,
    /** The last deploy or undeploy failed; {@code detail} says what the cluster holds. */
    FAILED,
    /** An undeploy job is removing it. */
    UNDEPLOYING,
    /** Removed; the row stays as history and the name is free for any backend, namespace or context. */
    UNDEPLOYED
}
