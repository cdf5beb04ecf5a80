package io.flinkjobrunner.service.deploy;

import java.util.Map;

/** Where the Kubernetes deployer reports (job log, {@code status} events of the SSE stream) and learns of a cancel. */
public interface DeployProgress {

    /** One line of the job log. */
    void log(String line);

    /** A {@code status} event mirroring the operator's view (lifecycleState, jobState, error, …). */
    void status(Map<String, Object> fields);

    /** True once the job's cancellation was requested. */
    boolean cancelRequested();
}
