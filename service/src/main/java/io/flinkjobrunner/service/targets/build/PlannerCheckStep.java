package io.flinkjobrunner.service.targets.build;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.planner.PlannerCheck;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.service.targets.UnitKeys;

import java.util.Set;

/** Plans the compiled unit with Flink's planner, offline, so a unit Flink would reject never reaches a deploy. */
final class PlannerCheckStep implements Step {

    @Override
    public String name() {
        return "planner-check";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(UnitKeys.UNIT);
    }

    @Override
    public void run(StepContext context) throws StepFailedException {
        long started = System.nanoTime();
        long plannings = PlannerCheck.plannings();
        try {
            PlannerCheck.check(context.require(UnitKeys.UNIT));
        } catch (CompilationException e) {
            throw new StepFailedException("Flink's planner rejects the unit: " + e.getMessage(), e);
        }
        // another build may plan concurrently, so "planned" can also be said of a remembered check; never the reverse
        boolean remembered = PlannerCheck.plannings() == plannings;
        context.log().info("Flink's planner accepts the unit (" + (System.nanoTime() - started) / 1_000_000 + " ms"
                + (remembered ? ", the same SQL was planned before in this process" : "") + ")");
    }
}
