package io.flinkjobrunner.shacl;

import java.util.Objects;

/**
 * Something wrong in a shapes graph: the shapes graph is not well-formed SHACL (SHACL 3.4.2 says a processor must not
 * validate with an ill-formed shapes graph), or a likely mistake worth a warning.
 *
 * @param shape     readable label of the shape, e.g. {@code ex:CutterShape / sh:property [sh:path ex:state]}
 * @param predicate the SHACL parameter at fault, e.g. {@code sh:minCount}
 * @param message   what is wrong and what the spec requires
 * @param severity  {@link Severity#VIOLATION} for ill-formed SHACL; warnings and infos are advice
 * @param rule      stable id of the broken rule: a SHACL syntax rule id (Appendix B, e.g. {@code minCount-datatype})
 *                  or one of ours ({@code shape-recursion}, {@code unknown-term}, {@code pattern-regex}, ...)
 * @param location  {@code file:line:column} of the shape (or of the nearest enclosing shape)
 */
public record ShapesGraphProblem(
        String shape,
        String predicate,
        String message,
        Severity severity,
        String rule,
        String location) {

    public ShapesGraphProblem {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(predicate, "predicate");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(location, "location");
    }

    /** {@code location: severity [rule] shape predicate: message}, one line. */
    @Override
    public String toString() {
        return location + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + " [" + rule + "] " + shape + " "
                + predicate + ": " + message;
    }
}
