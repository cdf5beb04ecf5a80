package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.deploy.DeployProgress;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.store.FencingToken;
import java.util.Map;
import java.util.Optional;

/**
 * A backend's progress as part of the job: lines go to the step's log, the operator's view of the Flink resource
 * becomes {@code status} events of kind {@code flink} in the job's SSE stream, and a cancel of the job is a cancel of
 * the deploy. Every change to the cluster first confirms the job is still this replica's.
 */
final class StepDeployProgress implements DeployProgress {

    /** Kind of the status events that mirror the Flink operator (lifecycleState, jobState, error, …). */
    static final String FLINK = "flink";

    private final StepContext context;

    StepDeployProgress(StepContext context) {
        this.context = context;
    }

    @Override
    public void log(String line) {
        context.log().info(line);
    }

    @Override
    public void status(Map<String, Object> fields) {
        context.status(FLINK, fields);
    }

    @Override
    public boolean cancelRequested() {
        return context.cancelRequested();
    }

    @Override
    public void beforeChange() {
        context.confirmOwnership();
    }

    @Override
    public Optional<FencingToken> fencingToken() {
        return Optional.of(context.fencingToken());
    }
}
