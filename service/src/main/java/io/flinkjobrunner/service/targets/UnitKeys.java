package io.flinkjobrunner.service.targets;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;

/** Values the build steps and the deploy steps of one job hand to each other. */
public final class UnitKeys {

    /** How to compile: put by the deploy targets before the build steps; absent: {@code CompileOptions.defaults}. */
    public static final StepKey<CompileOptions> COMPILE_OPTIONS = StepKey.of("compileOptions", CompileOptions.class);

    /** The compiled and planner-checked unit, put by the last build step. */
    public static final StepKey<DeploymentUnit> UNIT = StepKey.of("unit", DeploymentUnit.class);

    private UnitKeys() {
    }

    /** The options to compile with in {@code context}: the ones a deploy target put, else the defaults. */
    public static CompileOptions compileOptions(StepContext context) {
        return context.get(COMPILE_OPTIONS).orElseGet(() -> CompileOptions.defaults(context.context().deployment()));
    }
}
