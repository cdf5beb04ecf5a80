package io.flinkjobrunner.ngsild;

import java.util.Optional;

/**
 * NGSI-LD input that cannot be mapped: malformed JSON (with line and column), a remote {@code @context} that is not
 * available offline, invalid JSON-LD, or an entity that breaks NGSI-LD rules.
 */
public final class NgsiLdException extends Exception {

    /** Why the input was rejected. */
    public enum Reason {
        /** The document is not well-formed JSON; {@link #line()} and {@link #column()} locate the problem. */
        JSON_SYNTAX,
        /** A remote {@code @context} URL has no local mapping ({@link #url()} names it); nothing is fetched. */
        UNMAPPED_CONTEXT,
        /** A context file could not be read. */
        CONTEXT_UNREADABLE,
        /** A remote context could not be fetched (refused by a guard, unreachable, too large, not JSON). */
        CONTEXT_UNAVAILABLE,
        /** JSON-LD processing failed (invalid context, invalid keyword use, ...). */
        INVALID_JSON_LD,
        /** The data is JSON-LD but not a valid NGSI-LD entity (no id, no type, bad observedAt, ...). */
        INVALID_ENTITY
    }

    private final Reason reason;
    private final String source;
    private final int line;
    private final int column;
    private final String url;

    private NgsiLdException(Reason reason, String source, int line, int column, String url, String message,
            Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.source = source;
        this.line = line;
        this.column = column;
        this.url = url;
    }

    static NgsiLdException syntax(String source, int line, int column, String detail) {
        return new NgsiLdException(Reason.JSON_SYNTAX, source, line, column, null,
                source + ":" + line + ":" + column + ": " + detail, null);
    }

    static NgsiLdException unmappedContext(String source, String url) {
        return new NgsiLdException(Reason.UNMAPPED_CONTEXT, source, 0, 0, url, source + ": remote @context '" + url
                + "' is not mapped to a local file (offline: remote contexts are not fetched)", null);
    }

    static NgsiLdException contextUnavailable(String source, String url, String detail, Throwable cause) {
        return new NgsiLdException(Reason.CONTEXT_UNAVAILABLE, source, 0, 0, url,
                source + ": remote @context '" + url + "' cannot be fetched: " + detail, cause);
    }

    static NgsiLdException contextUnreadable(String source, String url, String detail, Throwable cause) {
        return new NgsiLdException(Reason.CONTEXT_UNREADABLE, source, 0, 0, url,
                source + ": @context '" + url + "': " + detail, cause);
    }

    static NgsiLdException invalidJsonLd(String source, String detail, Throwable cause) {
        return new NgsiLdException(Reason.INVALID_JSON_LD, source, 0, 0, null,
                source + ": invalid JSON-LD: " + detail, cause);
    }

    static NgsiLdException invalidEntity(String source, String detail) {
        return new NgsiLdException(Reason.INVALID_ENTITY, source, 0, 0, null, source + ": " + detail, null);
    }

    /** Why the input was rejected. */
    public Reason reason() {
        return reason;
    }

    /** Name of the document (file name or description). */
    public String source() {
        return source;
    }

    /** 1-based line for {@link Reason#JSON_SYNTAX}, else 0. */
    public int line() {
        return line;
    }

    /** 1-based column for {@link Reason#JSON_SYNTAX}, else 0. */
    public int column() {
        return column;
    }

    /** The context URL for the {@code CONTEXT} reasons. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }
}
