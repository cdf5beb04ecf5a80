package io.flinkjobrunner.runner;

/** A statement of a script failed; the message names the statement (number, line, first line) and Flink's cause. */
public final class SqlRunException extends RuntimeException {

    private final int statementNumber;
    private final int line;

    SqlRunException(SqlStatement statement, int line, String statementFirstLine, Throwable cause) {
        super("statement " + statement.number() + " (line " + line + ": " + abbreviate(statementFirstLine) + ") failed: "
                + FlinkFailures.describe(cause), cause);
        this.statementNumber = statement.number();
        this.line = line;
    }

    /** 1-based number of the failing statement in the script. */
    public int statementNumber() {
        return statementNumber;
    }

    /** 1-based line of the failing statement (for a statement set: of the failing INSERT). */
    public int line() {
        return line;
    }

    private static String abbreviate(String firstLine) {
        return firstLine.length() <= 120 ? firstLine : firstLine.substring(0, 117) + "...";
    }
}
