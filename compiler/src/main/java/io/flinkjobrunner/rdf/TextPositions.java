package io.flinkjobrunner.rdf;

import java.util.Arrays;

/** Maps character offsets of a decoded text to line/column positions. */
final class TextPositions {

    /**
     * The text, kept only if it has a surrogate pair (a code point outside the BMP), where a column (in code points)
     * differs from the char distance to the line start; a document's positions outlive its parse (its subjects), so
     * an all-BMP text is not kept alive for them.
     */
    private final String text;
    private final int length;
    /** Offset of the first character of each line; index 0 is line 1. */
    private final int[] lineStarts;
    private final int lineCount;

    TextPositions(String text) {
        int[] starts = new int[64];
        int count = 1;
        starts[0] = 0;
        boolean surrogates = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'));
            if (lineBreak) {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            } else if (Character.isSurrogate(c)) {
                surrogates = true;
            }
        }
        this.text = surrogates ? text : null;
        this.length = text.length();
        this.lineStarts = starts;
        this.lineCount = count;
    }

    /** The position of the character at {@code offset}; offsets past the end map to just after the last character. */
    SourcePosition at(int offset) {
        int clamped = Math.max(0, Math.min(offset, length));
        int index = Arrays.binarySearch(lineStarts, 0, lineCount, clamped);
        int lineIndex = index >= 0 ? index : -index - 2;
        // A CR of a CRLF pair belongs to the line it ends, so an offset pointing at it stays on that line.
        int lineStart = lineStarts[lineIndex];
        long column = (text == null ? clamped - lineStart : text.codePointCount(lineStart, clamped)) + 1L;
        return new SourcePosition(lineIndex + 1L, column);
    }
}
