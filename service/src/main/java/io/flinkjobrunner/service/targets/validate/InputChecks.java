package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.service.targets.Step;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps every target that reads knowledge and shapes starts with: download, parse, check-shapes (SHACL-for-SHACL)
 * and coverage (what the compiler will do with every shape). {@code validate} ends there; a build goes on to compile.
 */
@ApplicationScoped
public class InputChecks {

    @Inject
    DownloadStep download;
    @Inject
    ParseStep parse;
    @Inject
    ShapesCheckStep checkShapes;
    @Inject
    CoverageStep coverage;

    /** These steps in order, then {@code next}. */
    public List<Step> then(Step... next) {
        List<Step> steps = new ArrayList<>(List.of(download, parse, checkShapes, coverage));
        steps.addAll(List.of(next));
        return List.copyOf(steps);
    }
}
