package io.flinkjobrunner.simulation;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a {@link ModelScenario} left: the final alert set as the reference's {@code *_result} lines, the number of
 * alerts per severity, the rule output lines when asked for, and how long the Flink job ran.
 *
 * @param alertLines sorted {@code 'resource','event','severity'} lines ({@link AlertLines})
 * @param severities alerts per severity, sorted by severity
 * @param insertLines sorted rule output lines ({@code RuleOutputLines}), present when the scenario read them back
 * @param jobDuration wall-clock time from submitting the Flink job until it finished
 */
public record ModelScenarioResult(List<String> alertLines, SortedMap<String, Integer> severities,
        Optional<List<String>> insertLines, Duration jobDuration) {

    public ModelScenarioResult {
        alertLines = List.copyOf(alertLines);
        severities = Collections.unmodifiableSortedMap(new TreeMap<>(severities));
        insertLines = insertLines.map(List::copyOf);
    }

    /** E.g. {@code 3 alerts (2 warning, 1 critical)}, {@code 1 alert (1 warning)} or {@code 0 alerts}. */
    public String summary() {
        int count = alertLines.size();
        String perSeverity = severities.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%d alert%s%s", count, count == 1 ? "" : "s",
                perSeverity.isEmpty() ? "" : " (" + perSeverity + ")");
    }
}
