package io.flinkjobrunner.service.targets.simulate;

import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.Target;
import io.flinkjobrunner.service.targets.UnitBuild;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code simulate}: the build (download, parse, check-shapes, coverage, compile, planner-check), then the model
 * ({@code urls.model}, required) runs through the compiled unit on the service's local engine as one independent
 * scenario on fresh topics, as {@code fjr simulate} runs each model. The final alerts are the artifact
 * {@code alerts.csv} and log lines; a unit with rules also stores its inferred attributes as {@code inserts.csv}.
 */
@ApplicationScoped
public class SimulateTarget implements Target {

    @Inject
    UnitBuild unitBuild;
    @Inject
    SimulateStep simulate;

    @Override
    public String name() {
        return "simulate";
    }

    @Override
    public String description() {
        return "build, then run the model (urls.model) through the compiled validation on the local engine; stores "
                + "the final alerts as alerts.csv (and the rule output as inserts.csv)";
    }

    @Override
    public List<Step> steps() {
        List<Step> steps = new ArrayList<>(unitBuild.steps());
        steps.add(simulate);
        return steps;
    }

    @Override
    public Set<String> requiredInputs() {
        return Set.of("knowledge", "shacl", "model");
    }
}
