package io.flinkjobrunner.service.targets.build;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.PlannerCheck;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.UnitKeys;

/** Plans the compiled unit with Flink's planner, offline, so a unit Flink would reject never reaches a deploy. */
final class PlannerCheckStep implements Step {

    @Override
    public String name() {
        return "planner-check";
    }

    @Override
    public void run(StepContext context) throws StepFailedException {
        long started = System.nanoTime();
        try {
            PlannerCheck.check(context.require(UnitKeys.UNIT));
        } catch (CompilationException e) {
            throw new StepFailedException("Flink's planner rejects the unit: " + e.getMessage(), e);
        }
        context.log().info("Flink's planner accepts the unit (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }
}
