package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.state.JobContext;

import java.util.Map;
import java.util.Optional;

/**
 * A validated submission: optional caller-chosen id, target, input URLs by name ({@code knowledge}, {@code shacl},
 * optional {@code model}) and the job context.
 */
public record JobRequest(Optional<String> jobId, String target, Map<String, String> urls, JobContext context) {

    public JobRequest {
        urls = Map.copyOf(urls);
    }
}
