package io.flinkjobrunner.service.authoring;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.flinkjobrunner.authoring.AlertCondition;
import io.flinkjobrunner.authoring.AlertRuleTest;
import io.flinkjobrunner.authoring.ScenarioOutcome;
import io.flinkjobrunner.shacl.ShapesGraphProblem;

/** Response bodies of the authoring endpoints, with the reference's field names plus documented additions. */
final class AlertViews {

    private AlertViews() {
    }

    /** {@code POST /api/shacl/generate}. */
    @JsonPropertyOrder({"shacl", "condition"})
    record Generated(String shacl, AlertCondition condition) {
    }

    /** One scenario of {@code POST /api/shacl/validate}. */
    @JsonPropertyOrder({"scenario", "expected", "actual", "passed", "value", "shacl_actual", "stream_actual",
        "verdicts_agree", "messages"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TestResult(
            String scenario,
            String expected,
            String actual,
            boolean passed,
            double value,
            @JsonProperty("shacl_actual") String shaclActual,
            @JsonProperty("stream_actual") String streamActual,
            @JsonProperty("verdicts_agree") boolean verdictsAgree,
            List<String> messages) {

        static TestResult of(ScenarioOutcome outcome) {
            String shacl = verdict(outcome.shaclTriggered());
            String stream = outcome.streamTriggered() == null ? null : verdict(outcome.streamTriggered());
            return new TestResult(outcome.scenario().name(), outcome.scenario().expectTrigger() ? "TRIGGER"
                    : "NO TRIGGER", shacl, outcome.passed(), outcome.scenario().value(), shacl, stream,
                    outcome.agree(), outcome.messages());
        }

        private static String verdict(boolean triggered) {
            return triggered ? "TRIGGERED" : "OK";
        }
    }

    /** {@code POST /api/shacl/validate}. */
    @JsonPropertyOrder({"available", "valid_syntax", "all_tests_passed", "test_results", "error", "verdicts_agree",
        "condition", "stream_error", "notes", "problems"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Validation(
            boolean available,
            @JsonProperty("valid_syntax") boolean validSyntax,
            @JsonProperty("all_tests_passed") boolean allTestsPassed,
            @JsonProperty("test_results") List<TestResult> testResults,
            String error,
            @JsonProperty("verdicts_agree") boolean verdictsAgree,
            AlertCondition condition,
            @JsonProperty("stream_error") String streamError,
            List<String> notes,
            List<ShapesGraphProblem> problems) {

        static Validation of(AlertRuleTest test) {
            return new Validation(true, test.validSyntax(), test.allPassed(),
                    test.scenarios().stream().map(TestResult::of).toList(), test.error(), test.verdictsAgree(),
                    test.condition(), test.streamError(), test.notes(), test.problems());
        }
    }

    /** {@code POST /api/alerts/validate-cli-style}. */
    record CliOutput(String output) {
    }
}
