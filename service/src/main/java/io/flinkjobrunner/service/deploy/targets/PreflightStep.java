package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.deploy.PreflightReport;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code setup}: checks, without changing anything, that the backend can deploy into the job's context. Every check is
 * logged and stored as {@code preflight.txt}; the step fails listing exactly the failed checks.
 */
final class PreflightStep implements Step {

    @Override
    public String name() {
        return "preflight";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(DeployKeys.BACKEND, DeployKeys.SCOPE);
    }

    @Override
    public void run(StepContext context) throws StepFailedException {
        PreflightReport report = context.require(DeployKeys.BACKEND).preflight(context.require(DeployKeys.SCOPE));
        for (PreflightReport.Check check : report.checks()) {
            if (check.warning()) {
                context.log().warn(check.toString());
            } else if (check.ok()) {
                context.log().info(check.toString());
            } else {
                context.log().error(check.toString());
            }
        }
        String text = report.checks().stream().map(PreflightReport.Check::toString)
                .collect(Collectors.joining("\n", "", "\n"));
        context.artifacts().put("preflight.txt", "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        long failed = report.checks().stream().filter(c -> !c.ok()).count();
        if (failed > 0) {
            throw new StepFailedException("preflight: " + failed + " of " + report.checks().size()
                    + " checks failed:\n" + report.failures());
        }
        long warnings = report.checks().stream().filter(PreflightReport.Check::warning).count();
        context.log().info("preflight: all " + report.checks().size() + " checks passed"
                + (warnings == 0 ? "" : ", " + warnings + " with a warning"));
    }
}
