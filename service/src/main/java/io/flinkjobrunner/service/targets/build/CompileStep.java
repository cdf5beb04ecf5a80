package io.flinkjobrunner.service.targets.build;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.CoverageReport;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.UnitKeys;
import io.flinkjobrunner.service.targets.validate.ValidateKeys;
import java.nio.charset.StandardCharsets;

/**
 * Compiles the parsed knowledge and shapes into one deployment unit with the options the deploy target put (the
 * deployment's topics and Kafka), stores the script as {@code unit.sql} and hands the unit to the later steps.
 */
final class CompileStep implements Step {

    @Override
    public String name() {
        return "compile";
    }

    @Override
    public void run(StepContext context) throws StepFailedException {
        CompileOptions options = UnitKeys.compileOptions(context);
        DeploymentUnit unit;
        try {
            unit = new ShaclCompiler().assemble(context.require(ValidateKeys.KNOWLEDGE).model(),
                    context.require(ValidateKeys.SHAPES).model(), options);
        } catch (CompilationException e) {
            throw new StepFailedException(e.getMessage(), e);
        }
        String script = unit.script();
        context.artifacts().put("unit.sql", "application/sql", script.getBytes(StandardCharsets.UTF_8));
        context.put(UnitKeys.UNIT, unit);
        int rows = unit.semanticData().stream().mapToInt(t -> t.rows().size()).sum();
        context.log().info("Compiled " + unit.coverage().withStatus(CoverageReport.Status.COMPILED).size()
                + " shape components into one Flink job (" + unit.statements().size() + " statements, "
                + script.length() + " characters) and " + rows + " semantic rows; topics " + options.topics().entities()
                + ", " + options.topics().alertsBulk() + ", …");
    }
}
