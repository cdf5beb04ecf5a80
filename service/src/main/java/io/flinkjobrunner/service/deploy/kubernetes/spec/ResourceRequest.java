package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.util.regex.Pattern;

/**
 * CPU and memory of a Flink JobManager or TaskManager, as the operator's {@code spec.jobManager.resource} takes them.
 *
 * @param cpu number of cores (fractions allowed)
 * @param memory Flink memory size, e.g. {@code 1024m} or {@code 2g}
 */
public record ResourceRequest(double cpu, String memory) {

    private static final Pattern MEMORY = Pattern.compile("[0-9]+(\\.[0-9]+)?\\s*(b|k|kb|m|mb|g|gb|t|tb|Ki|Mi|Gi|Ti)?",
            Pattern.CASE_INSENSITIVE);

    public ResourceRequest {
        if (!(cpu > 0) || Double.isInfinite(cpu)) {
            throw new InvalidDeploymentException("cpu must be a positive number, got " + cpu);
        }
        if (memory == null || !MEMORY.matcher(memory).matches()) {
            throw new InvalidDeploymentException("memory '" + memory + "' is not a size such as 1024m or 2g");
        }
    }
}
