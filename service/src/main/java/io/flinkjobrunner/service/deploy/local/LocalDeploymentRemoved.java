package io.flinkjobrunner.service.deploy.local;

/**
 * CDI event, fired synchronously by the local backend while it undeploys {@code deployment}, after its Flink job is
 * cancelled and before its topics are deleted: whoever reads those topics (the alert streams) lets go of them now.
 */
public record LocalDeploymentRemoved(String deployment) {
}
