package io.flinkjobrunner.rdf;

import java.util.Arrays;

/** Maps character offsets of a decoded text to line/column positions. */
final class TextPositions {

    private final String text;
    /** Offset of the first character of each line; index 0 is line 1. */
    private final int[] lineStarts;
    private final int lineCount;

    TextPositions(String text) {
        this.text = text;
        int[] starts = new int[64];
        int count = 1;
        starts[0] = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'));
            if (lineBreak) {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        this.lineStarts = starts;
        this.lineCount = count;
    }

    /** The position of the character at {@code offset}; offsets past the end map to just after the last character. */
    SourcePosition at(int offset) {
        int clamped = Math.max(0, Math.min(offset, text.length()));
        int index = Arrays.binarySearch(lineStarts, 0, lineCount, clamped);
        int lineIndex = index >= 0 ? index : -index - 2;
        // A CR of a CRLF pair belongs to the line it ends, so an offset pointing at it stays on that line.
        int lineStart = lineStarts[lineIndex];
        long column = text.codePointCount(lineStart, clamped) + 1L;
        return new SourcePosition(lineIndex + 1L, column);
    }
}
