package io.flinkjobrunner.runner;

import java.util.List;
import org.apache.flink.core.execution.JobClient;

/**
 * What running a script submitted.
 *
 * @param jobs the Flink jobs in submission order (one per statement set or standalone DML statement)
 */
public record SqlRunResult(List<JobClient> jobs) {

    public SqlRunResult {
        jobs = List.copyOf(jobs);
    }
}
