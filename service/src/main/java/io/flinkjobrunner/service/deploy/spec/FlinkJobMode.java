package io.flinkjobrunner.service.deploy.spec;

/** How the compiled unit runs on the cluster. */
public enum FlinkJobMode {
    /** A FlinkDeployment in application mode: its own JobManager runs the sql-runner with the mounted SQL. */
    APPLICATION,
    /** A FlinkSessionJob submitted to an existing session FlinkDeployment. */
    SESSION
}
