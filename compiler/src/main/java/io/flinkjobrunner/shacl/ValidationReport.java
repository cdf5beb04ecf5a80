package io.flinkjobrunner.shacl;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The outcome of validating a data graph against a shapes graph (SHACL 3.6), as plain values.
 *
 * <p>{@code conforms} follows SHACL 3.6.1: true only if there are no results at all, whatever their severity. Use
 * {@link #hasViolations()} to ignore warnings and infos. A verdict covers only what was evaluated: check
 * {@link #complete()} ({@link #truncated()} and {@link #notValidated()}) before treating "conforms" as proof.
 *
 * @param conforms     no validation results
 * @param truncated    the engine stopped collecting results at a cap of {@link #limits()}; more results exist
 * @param limits       the result caps that applied
 * @param results      the results, ordered by root node, focus node, path and constraint
 * @param notValidated features of the shapes graph the engine did not evaluate
 */
@JsonPropertyOrder({"conforms", "complete", "truncated", "limits", "results", "notValidated"})
public record ValidationReport(
        boolean conforms,
        boolean truncated,
        ValidationLimits limits,
        List<ValidationResult> results,
        List<NotValidated> notValidated) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ValidationReport {
        Objects.requireNonNull(limits, "limits");
        results = List.copyOf(results);
        notValidated = List.copyOf(notValidated);
        if (conforms != results.isEmpty()) {
            throw new IllegalArgumentException("conforms must be true exactly when there are no results");
        }
    }

    /** True if every result was collected and every shape feature was evaluated. */
    @JsonProperty("complete")
    public boolean complete() {
        return !truncated && notValidated.isEmpty();
    }

    /** True if some result has severity sh:Violation or a custom severity. */
    public boolean hasViolations() {
        return results.stream().anyMatch(r -> r.level() == Severity.VIOLATION);
    }

    /** The report as JSON; RDF terms use the SPARQL 1.1 JSON results encoding ({@code {"type":"uri",...}}). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a validation report is always serialisable", e);
        }
    }

    /** The report as a SHACL validation report graph (sh:ValidationReport) in Turtle. */
    public String toTurtle() {
        return ValidationReportWriter.turtle(this);
    }

    /** A few lines for logs and people: verdict, counts, the first results, truncation and gaps. */
    public String summary() {
        return ValidationReportWriter.summary(this, 20);
    }
}
