package io.flinkjobrunner.service.problems;

/** A deployment request or setting that cannot be rendered into Kubernetes objects; the message says why. */
public class InvalidDeploymentException extends IllegalArgumentException {

    public InvalidDeploymentException(String message) {
        super(message);
    }
}
