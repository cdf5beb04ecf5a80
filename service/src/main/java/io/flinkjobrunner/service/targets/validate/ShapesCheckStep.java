package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.shacl.Severity;
import io.flinkjobrunner.shacl.ShapesGraphChecker;
import io.flinkjobrunner.shacl.ShapesGraphProblem;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** SHACL-for-SHACL: an ill-formed shapes graph must not be used (SHACL 3.4.2); warnings are logged. */
@ApplicationScoped
public class ShapesCheckStep implements Step {

    @Override
    public String name() {
        return "check-shapes";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(ValidateKeys.SHAPES);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        RdfDocument shapes = ctx.require(ValidateKeys.SHAPES);
        List<ShapesGraphProblem> problems = ShapesGraphChecker.check(shapes);
        for (ShapesGraphProblem p : problems) {
            if (p.severity() == Severity.VIOLATION) {
                ctx.log().error(p.toString());
            } else {
                ctx.log().warn(p.toString());
            }
        }
        Optional<String> refusal = ShapesGraphChecker.refusal(problems, ValidateKeys.SHAPES_FILE);
        if (refusal.isPresent()) {
            throw new StepFailedException(refusal.get());
        }
        ctx.log().info("Shapes graph is well-formed" + (problems.isEmpty() ? "" : " (" + problems.size()
                + " warnings)"));
    }
}
