package io.flinkjobrunner.compiler;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the compiler does with every shape and constraint component of a shapes graph: compiled, ignored (with the
 * reason it cannot matter), rejected (with the reason) or deactivated. Nothing is dropped silently.
 *
 * @param entries one entry per (shape, component), in shapes-graph order
 */
public record CoverageReport(List<Entry> entries) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

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
            // the status padded to 11 characters, as "%-11s" would: String.format costs more than the rest of
            // writing a coverage report of tens of thousands of entries
            StringBuilder line = new StringBuilder(24 + shape.length() + component.length() + reason.length());
            line.append(status.name());
            while (line.length() < 11) {
                line.append(' ');
            }
            line.append(' ').append(shape).append("  ").append(component);
            if (!reason.isEmpty()) {
                line.append(": ").append(reason);
            }
            return line.toString();
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
        StringWriter out = new StringWriter();
        try {
            writeText(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes {@link #text()} into {@code out}, one entry at a time. */
    public void writeText(Writer out) throws IOException {
        out.write(countsLine() + System.lineSeparator());
        for (Entry e : entries) {
            out.write(e.line());
            out.write(System.lineSeparator());
        }
    }

    /**
     * A short account for a log: the {@link #countsLine() counts}, then every rejected component (up to
     * {@code maxLines}; what a user must act on: it is not checked), then the ignored and deactivated components
     * grouped by component and reason, with their number and the first shape (up to {@code maxLines} groups). A
     * shapes graph of thousands of shapes has thousands of entries, which belong in the full report, not in a log
     * every viewer replays.
     */
    public List<String> summary(int maxLines) {
        List<String> out = new ArrayList<>();
        out.add(countsLine());
        List<Entry> rejected = withStatus(Status.REJECTED);
        rejected.stream().limit(maxLines).map(Entry::line).forEach(out::add);
        if (rejected.size() > maxLines) {
            out.add("… and " + (rejected.size() - maxLines) + " more rejected components");
        }
        Map<List<Object>, List<Entry>> groups = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.status() == Status.IGNORED || e.status() == Status.DEACTIVATED) {
                groups.computeIfAbsent(List.of(e.status(), e.component(), e.reason()), k -> new ArrayList<>()).add(e);
            }
        }
        int shown = 0;
        for (List<Entry> group : groups.values()) {
            if (shown++ == maxLines) {
                out.add("… and " + (groups.size() - maxLines) + " more groups of ignored or deactivated components");
                break;
            }
            Entry first = group.get(0);
            out.add(String.format("%-11s %s × %d%s (first: %s)", first.status(), first.component(), group.size(),
                    first.reason().isEmpty() ? "" : ": " + first.reason(), first.shape()));
        }
        return out;
    }

    /** {@code coverage: N compiled, N ignored, N rejected, N deactivated}. */
    public String countsLine() {
        return String.format("coverage: %d compiled, %d ignored, %d rejected, %d deactivated",
                withStatus(Status.COMPILED).size(), withStatus(Status.IGNORED).size(),
                withStatus(Status.REJECTED).size(), withStatus(Status.DEACTIVATED).size());
    }

    /** The report as JSON: {@code {"entries":[{"shape","component","status","reason"}...]}}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@link #toJson()} as UTF-8 into {@code out} (which stays open), without building the string. */
    public void writeJson(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
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
