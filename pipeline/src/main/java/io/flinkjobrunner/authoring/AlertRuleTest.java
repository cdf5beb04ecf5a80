package io.flinkjobrunner.authoring;

import java.util.List;
import java.util.Objects;

import io.flinkjobrunner.shacl.ShapesGraphProblem;

/**
 * The result of testing an alert shape against its scenarios.
 *
 * @param validSyntax the shape is well-formed Turtle and well-formed SHACL
 * @param error       why it is not ({@code SHACL syntax error: shacl_rule:3:5: ...}), else null
 * @param problems    shapes-graph problems (violations make {@code validSyntax} false; warnings are advice)
 * @param condition   the condition the scenarios were built from, null if the shape was not usable
 * @param scenarios   one outcome per scenario; empty if the shape was not usable
 * @param notes       what the verdicts do not cover (parts of the shape an engine does not evaluate)
 * @param streamError why the stream verdict could not be obtained (the compiler refused the shape, the job failed),
 *                    else null; a test with a stream error has not passed
 */
public record AlertRuleTest(boolean validSyntax, String error, List<ShapesGraphProblem> problems,
        AlertCondition condition, List<ScenarioOutcome> scenarios, List<String> notes, String streamError) {

    public AlertRuleTest {
        problems = List.copyOf(problems);
        scenarios = List.copyOf(scenarios);
        notes = List.copyOf(notes);
        if (validSyntax == (error != null)) {
            throw new IllegalArgumentException("an error message exactly when the syntax is not valid");
        }
    }

    /** A shape that could not be tested. */
    static AlertRuleTest invalid(String error, List<ShapesGraphProblem> problems) {
        return new AlertRuleTest(false, Objects.requireNonNull(error, "error"), problems, null, List.of(), List.of(),
                null);
    }

    /** Every scenario passed under every verdict that was run. */
    public boolean allPassed() {
        return validSyntax && streamError == null && !scenarios.isEmpty()
                && scenarios.stream().allMatch(ScenarioOutcome::passed);
    }

    /** The ShaclSail and stream verdicts agree on every scenario. */
    public boolean verdictsAgree() {
        return scenarios.stream().allMatch(ScenarioOutcome::agree);
    }
}
