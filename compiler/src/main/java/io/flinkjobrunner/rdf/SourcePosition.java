package io.flinkjobrunner.rdf;

/**
 * A position in a text file: 1-based line and 1-based column, counted in Unicode code points.
 *
 * <p>Lines end at LF, CRLF or a lone CR, so a file written on Windows reports the same line numbers as on Linux.
 * A byte-order mark is not part of the text and does not shift columns.
 */
public record SourcePosition(long line, long column) implements Comparable<SourcePosition> {

    public SourcePosition {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based, got " + line + ":" + column);
        }
    }

    @Override
    public int compareTo(SourcePosition other) {
        int byLine = Long.compare(line, other.line);
        return byLine != 0 ? byLine : Long.compare(column, other.column);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
