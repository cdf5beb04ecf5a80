package io.flinkjobrunner.runner;

/** A script that cannot be split into statements: unterminated literal or comment, misplaced {@code END}, ... */
public final class SqlScriptException extends RuntimeException {

    private final String source;
    private final int line;
    private final int column;

    public SqlScriptException(String source, int line, int column, String reason) {
        super(source + ":" + line + ":" + column + ": " + reason);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** Name of the script (file name or a description). */
    public String source() {
        return source;
    }

    /** 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** 1-based column of the problem. */
    public int column() {
        return column;
    }
}
