package io.flinkjobrunner.service.targets.build;

import io.flinkjobrunner.service.config.DeployConfig;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.UnitBuild;
import io.flinkjobrunner.service.targets.validate.InputChecks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The build of {@code build}, {@code plan}, {@code deploy} and {@code setup-and-deploy}: the first steps of
 * {@code validate} (download, parse, check-shapes, coverage), then {@code compile} (SHACL → deployment unit for the
 * deployment's topics) and {@code planner-check} (Flink's planner, offline).
 */
@ApplicationScoped
public class CompiledUnitBuild implements UnitBuild {

    @Inject
    InputChecks inputChecks;
    @Inject
    DeployConfig deploy;

    @Override
    public List<Step> steps() {
        return inputChecks.then(new CompileStep(deploy.flink().bufferTimeout(), deploy.flink().settleWindow()),
                new PlannerCheckStep());
    }
}
