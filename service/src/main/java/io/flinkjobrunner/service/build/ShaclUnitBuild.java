package io.flinkjobrunner.service.build;

import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.UnitBuild;
import io.flinkjobrunner.service.targets.validate.CoverageStep;
import io.flinkjobrunner.service.targets.validate.DownloadStep;
import io.flinkjobrunner.service.targets.validate.ParseStep;
import io.flinkjobrunner.service.targets.validate.ShapesCheckStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The build of the {@code build}, {@code plan}, {@code deploy} and {@code setup-and-deploy} targets: the
 * {@code validate} target's input steps ({@code download, parse, check-shapes, coverage}), then {@code compile}
 * (with Flink's planner check).
 */
@ApplicationScoped
public class ShaclUnitBuild implements UnitBuild {

    private final List<Step> steps;

    @Inject
    ShaclUnitBuild(DownloadStep download, ParseStep parse, ShapesCheckStep checkShapes, CoverageStep coverage) {
        this.steps = List.of(download, parse, checkShapes, coverage, new CompileStep());
    }

    @Override
    public List<Step> steps() {
        return steps;
    }
}
