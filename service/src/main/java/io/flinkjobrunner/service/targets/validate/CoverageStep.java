package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.compiler.CoverageReport;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the compiler will do with every shape and component: {@code coverage.json} plus a summary in the log. The
 * shapes are read here once: the compile step of a build assembles its unit from this reading
 * ({@link ValidateKeys#READ_SHAPES}) instead of reading them again.
 */
@ApplicationScoped
public class CoverageStep implements Step {

    /** Artifact name of the coverage report. */
    public static final String ARTIFACT = "coverage.json";

    /** Rejected components, and groups of ignored ones, listed in the log at most (the rest: in the artifact). */
    static final int SUMMARY_LINES = 50;

    @Override
    public String name() {
        return "coverage";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(ValidateKeys.KNOWLEDGE, ValidateKeys.SHAPES);
    }

    @Override
    public Set<StepKey<?>> provides() {
        return Set.of(ValidateKeys.READ_SHAPES);
    }

    @Override
    public void run(StepContext ctx) throws IOException {
        ShaclCompiler.ReadShapes read = new ShaclCompiler().read(ctx.require(ValidateKeys.KNOWLEDGE).model(),
                ctx.require(ValidateKeys.SHAPES).model());
        ctx.put(ValidateKeys.READ_SHAPES, read);
        CoverageReport report = read.coverage();
        Path rendered = ctx.workspace().resolve(ARTIFACT);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(rendered), 1 << 16)) {
            report.writeJson(out);
        }
        ctx.artifacts().put(ARTIFACT, "application/json", rendered);
        Files.delete(rendered);
        log(ctx, report);
    }

    /**
     * Logs the report's {@link CoverageReport#summary summary}: counts, rejected components (warnings), ignored and
     * deactivated ones grouped; every entry is in the artifact.
     */
    public static void log(StepContext ctx, CoverageReport report) {
        List<String> summary = report.summary(SUMMARY_LINES);
        ctx.log().info(summary.get(0) + " (every component: artifact " + ARTIFACT + ")");
        for (String line : summary.subList(1, summary.size())) {
            if (line.startsWith(CoverageReport.Status.REJECTED.name())) {
                ctx.log().warn(line);
            } else {
                ctx.log().info(line);
            }
        }
        int rejected = report.withStatus(CoverageReport.Status.REJECTED).size();
        if (rejected > 0) {
            ctx.log().warn(rejected + " shape components are not supported by the compiler and would not be checked");
        }
    }
}
