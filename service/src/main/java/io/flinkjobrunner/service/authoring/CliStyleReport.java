package io.flinkjobrunner.service.authoring;

import io.flinkjobrunner.authoring.AlertCondition;
import io.flinkjobrunner.authoring.AlertRuleTest;
import io.flinkjobrunner.authoring.ScenarioOutcome;

/**
 * The text of {@code POST /api/alerts/validate-cli-style}: the reference printed its test run like a command-line
 * tool (banners, one ✅/❌ line per scenario); this keeps that form and adds the stream verdict.
 */
final class CliStyleReport {

    private static final String RULE = "=".repeat(70);
    private static final String THIN = "-".repeat(70);

    private CliStyleReport() {
    }

    static String render(String prompt, AlertCondition parsed, AlertRuleTest test, boolean generated) {
        StringBuilder out = new StringBuilder();
        out.append(RULE).append('\n').append("Alert rule check\n").append(RULE).append('\n');
        out.append("Prompt:     ").append(prompt).append('\n');
        out.append("Condition:  ").append(parsed.sensor()).append(' ').append(parsed.operator().symbol()).append(' ')
                .append(parsed.thresholdText()).append(parsed.unit() == null ? "" : " (" + parsed.unit() + ")")
                .append('\n');
        out.append("SHACL rule: ").append(generated ? "generated from the prompt" : "as sent").append('\n');
        if (!test.validSyntax()) {
            out.append(mark(false)).append(' ').append(test.error()).append('\n').append(RULE).append('\n');
            out.append(mark(false)).append(" The SHACL rule cannot be tested.\n");
            return out.toString();
        }
        out.append(mark(true)).append(" SHACL syntax is valid\n").append(THIN).append('\n');
        for (ScenarioOutcome outcome : test.scenarios()) {
            out.append(mark(outcome.passed())).append(' ').append(outcome.scenario().name()).append(": expected ")
                    .append(outcome.scenario().expectTrigger() ? "TRIGGER" : "NO TRIGGER").append(", RDF4J ")
                    .append(outcome.shaclTriggered() ? "TRIGGERED" : "OK");
            if (outcome.streamTriggered() != null) {
                out.append(", stream ").append(outcome.streamTriggered() ? "TRIGGERED" : "OK");
            }
            out.append('\n');
        }
        if (test.streamError() != null) {
            out.append(mark(false)).append(" stream verdict unavailable: ").append(test.streamError()).append('\n');
        }
        for (String note : test.notes()) {
            out.append("note: ").append(note).append('\n');
        }
        out.append(RULE).append('\n');
        long passed = test.scenarios().stream().filter(ScenarioOutcome::passed).count();
        out.append(mark(test.allPassed())).append(test.allPassed()
                ? " All " + passed + " scenarios passed: the SHACL rule alerts exactly as requested.\n"
                : " " + passed + " of " + test.scenarios().size() + " scenarios passed: the SHACL rule does not alert"
                        + " as requested.\n");
        out.append(RULE).append('\n');
        return out.toString();
    }

    private static String mark(boolean ok) {
        return ok ? "✅" : "❌";
    }
}
