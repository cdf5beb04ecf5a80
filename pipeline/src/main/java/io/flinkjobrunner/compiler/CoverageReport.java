package io.flinkjobrunner.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the compiler does with every shape and constraint component of a shapes graph: compiled, ignored (with the
 * reason it cannot matter), rejected (with the reason) or deactivated. Nothing is dropped silently.
 *
 * @param entries one entry per (shape, component), in shapes-graph order
 */
public record CoverageReport(List<Entry> entries) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CoverageReport {
        entries = List.copyOf(entries);
    }

    /** How a component is handled. */
    public enum Status {
        /** Compiled into streaming checks. */
        COMPILED,
        /** Cannot affect the result for NGSI-LD data (the reason says why); nothing to compile. */
        IGNORED,
        /** Not compiled: the shapes graph uses something the compiler does not support. */
        REJECTED,
        /** The shape carries {@code sh:deactivated true}; SHACL skips it, and so does the unit. */
        DEACTIVATED
    }

    /**
     * One component of one shape.
     *
     * @param shape the shape: its IRI, or for a blank property shape the owning node shape and the path
     * @param component the SHACL parameter, e.g. {@code sh:minCount}
     * @param status how it is handled
     * @param reason why (empty for a plain compiled component)
     */
    public record Entry(String shape, String component, Status status, String reason) {

        public Entry {
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(component, "component");
            Objects.requireNonNull(status, "status");
            reason = reason == null ? "" : reason;
        }

        /** A readable line, e.g. {@code REJECTED  ex:S / ex:p  sh:node: reason}. */
        public String line() {
            return String.format("%-11s %s  %s%s", status, shape, component, reason.isEmpty() ? "" : ": " + reason);
        }
    }

    /** The entries with the given status. */
    public List<Entry> withStatus(Status status) {
        return entries.stream().filter(e -> e.status() == status).toList();
    }

    /** True when no component was rejected. */
    public boolean complete() {
        return withStatus(Status.REJECTED).isEmpty();
    }

    /** One readable line per entry. */
    public List<String> lines() {
        return entries.stream().map(Entry::line).toList();
    }

    /** A summary line followed by {@link #lines()}. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("coverage: %d compiled, %d ignored, %d rejected, %d deactivated%n",
                withStatus(Status.COMPILED).size(), withStatus(Status.IGNORED).size(),
                withStatus(Status.REJECTED).size(), withStatus(Status.DEACTIVATED).size()));
        lines().forEach(l -> out.append(l).append(System.lineSeparator()));
        return out.toString();
    }

    /** The report as JSON: {@code {"entries":[{"shape","component","status","reason"}...]}}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects entries while shapes are read. */
    static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        void add(String shape, String component, Status status, String reason) {
            entries.add(new Entry(shape, component, status, reason));
        }

        void addAll(List<Entry> more) {
            entries.addAll(more);
        }

        CoverageReport build() {
            return new CoverageReport(entries);
        }
    }
}
