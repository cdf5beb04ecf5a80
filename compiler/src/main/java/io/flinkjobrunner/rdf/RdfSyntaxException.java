package io.flinkjobrunner.rdf;

import java.util.Objects;
import java.util.Optional;

/**
 * An RDF document could not be read: it is not well-formed, not UTF-8, or exceeds a configured limit.
 *
 * <p>The message is {@code file:line:column: detail} (or {@code file: detail} when no position applies, e.g. for a
 * file that is too large), the form compilers and editors use, so a user can jump straight to the problem.
 */
public final class RdfSyntaxException extends RuntimeException {

    /** Why the document was rejected. */
    public enum Reason {
        /** The text violates the Turtle grammar (unexpected character, unterminated string, bad IRI, ...). */
        SYNTAX,
        /** A prefixed name uses a prefix the document never declared; no default prefixes are assumed. */
        UNDEFINED_PREFIX,
        /** The bytes are not valid UTF-8. */
        ENCODING,
        /** The document is larger than the configured byte limit. */
        TOO_LARGE,
        /** The document holds more triples than the configured limit. */
        TOO_MANY_STATEMENTS,
        /** Blank-node property lists or collections are nested deeper than the configured limit. */
        NESTING_TOO_DEEP
    }

    private final Reason reason;
    private final String fileName;
    private final SourcePosition position;
    private final String detail;

    public RdfSyntaxException(Reason reason, String fileName, SourcePosition position, String detail) {
        super(format(fileName, position, detail));
        this.reason = Objects.requireNonNull(reason, "reason");
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.position = position;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    private static String format(String fileName, SourcePosition position, String detail) {
        return position == null ? fileName + ": " + detail : fileName + ":" + position + ": " + detail;
    }

    public Reason reason() {
        return reason;
    }

    /** The display name of the document, never a full URL. */
    public String fileName() {
        return fileName;
    }

    /** Where the problem is, or empty for whole-document problems (size, encoding of an unreadable stream). */
    public Optional<SourcePosition> position() {
        return Optional.ofNullable(position);
    }

    /** The line, or 0 when the problem has no position. */
    public long line() {
        return position == null ? 0 : position.line();
    }

    /** The column, or 0 when the problem has no position. */
    public long column() {
        return position == null ? 0 : position.column();
    }

    /** The message without file name and position. */
    public String detail() {
        return detail;
    }
}
