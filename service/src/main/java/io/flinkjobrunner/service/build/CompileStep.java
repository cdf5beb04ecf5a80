package io.flinkjobrunner.service.build;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.UnitKeys;
import io.flinkjobrunner.service.targets.validate.ValidateKeys;
import java.nio.charset.StandardCharsets;

/**
 * Compiles the shapes over the knowledge (parsed by the validate steps) into one deployment unit with the job's
 * compile options, checks it with Flink's planner, and stores the script as {@code unit.sql}.
 */
final class CompileStep implements Step {

    @Override
    public String name() {
        return "compile";
    }

    @Override
    public void run(StepContext context) throws StepFailedException {
        DeploymentUnit unit;
        try {
            unit = ShaclCompiler.compile(context.require(ValidateKeys.KNOWLEDGE).model(),
                    context.require(ValidateKeys.SHAPES).model(), UnitKeys.compileOptions(context));
        } catch (CompilationException e) {
            throw new StepFailedException(ValidateKeys.SHAPES_FILE + ": " + e.getMessage(), e);
        }
        context.artifacts().put("unit.sql", "application/sql; charset=utf-8",
                unit.script().getBytes(StandardCharsets.UTF_8));
        context.log().info("Compiled one Flink job (" + unit.statements().size() + " statements, "
                + unit.semanticData().stream().mapToInt(t -> t.rows().size()).sum() + " semantic rows on "
                + unit.topics().rdf() + ", …); Flink's planner accepted it");
        context.put(UnitKeys.UNIT, unit);
    }
}
