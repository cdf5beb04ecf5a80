package io.flinkjobrunner.sparql;

/**
 * A SPARQL constraint or rule the translator cannot compile: names the shape, the position in the query (line and
 * column, 1-based, when known) and the reason.
 */
public final class SparqlTranslationException extends RuntimeException {

    private final String shape;
    private final int line;
    private final int column;
    private final String reason;
    private final SparqlCoverage.Status status;

    SparqlTranslationException(String shape, int line, int column, String reason) {
        this(shape, line, column, reason, SparqlCoverage.Status.REJECTED);
    }

    SparqlTranslationException(String shape, int line, int column, String reason, SparqlCoverage.Status status) {
        super(format(shape, line, column, reason));
        this.shape = shape;
        this.line = line;
        this.column = column;
        this.reason = reason;
        this.status = status;
    }

    /** How the coverage report lists the constraint or rule. */
    public SparqlCoverage.Status status() {
        return status;
    }

    /** The shape (IRI or blank node id) whose query failed. */
    public String shape() {
        return shape;
    }

    /** 1-based line in the query text, 0 when the reason is not tied to a position. */
    public int line() {
        return line;
    }

    /** 1-based column in the query text, 0 when the reason is not tied to a position. */
    public int column() {
        return column;
    }

    /** Why the query cannot be translated. */
    public String reason() {
        return reason;
    }

    private static String format(String shape, int line, int column, String reason) {
        String where = line > 0 ? " (query line " + line + ", column " + column + ")" : "";
        return "shape " + shape + where + ": " + reason;
    }
}
