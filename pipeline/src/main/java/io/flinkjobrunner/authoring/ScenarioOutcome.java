package io.flinkjobrunner.authoring;

import java.util.List;
import java.util.Objects;

/**
 * How an alert shape behaved on one {@link AlertScenario}, judged twice: by RDF4J's ShaclSail (SHACL semantics) and by
 * the compiled Flink SQL on the local engine (what will run in production).
 *
 * @param scenario        the scenario
 * @param shaclTriggered  ShaclSail reported a validation result for the scenario entity
 * @param streamTriggered the stream job raised an alert for it, or null if the stream verdict was not run
 * @param messages        the validation messages ShaclSail reported for the entity
 */
public record ScenarioOutcome(AlertScenario scenario, boolean shaclTriggered, Boolean streamTriggered,
        List<String> messages) {

    public ScenarioOutcome {
        Objects.requireNonNull(scenario, "scenario");
        messages = List.copyOf(messages);
    }

    /** Both verdicts that were run match the expectation. */
    public boolean passed() {
        return shaclTriggered == scenario.expectTrigger()
                && (streamTriggered == null || streamTriggered == scenario.expectTrigger());
    }

    /** The two verdicts are the same (trivially true if the stream verdict was not run). */
    public boolean agree() {
        return streamTriggered == null || streamTriggered == shaclTriggered;
    }
}
