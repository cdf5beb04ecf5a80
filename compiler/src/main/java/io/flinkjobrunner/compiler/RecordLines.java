package io.flinkjobrunner.compiler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the lines of {@code semantic-data/records.jsonl}: per row of a semantic table one
 * {@code {"topic":…,"key":…,"value":…}} object whose key and value are JSON text inside JSON strings, byte for byte
 * what {@link SemanticTable#forEachRecord} and a Jackson generator write (RecordLinesTest compares them), in one
 * pass. The generator way built each key and value as a string, then escaped it again: for 10,000 shapes (100,000
 * records, 75 MB) that was a third of a cold compile's main thread (docs/benchmarks.md, build speed).
 *
 * <p>The escaping is Jackson's default: a quote and a backslash get a backslash before them, control characters
 * become a backslash and {@code b}, {@code t}, {@code n}, {@code f} or {@code r}, or a backslash, {@code u} and four
 * upper-case hex digits; each half of a surrogate pair is written as a backslash, {@code u} and its four hex digits
 * (Jackson's UTF-8 generator does so); everything else (non-ASCII too) is its UTF-8 bytes. A value inside the key
 * or value text is escaped twice.
 */
final class RecordLines {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOPIC = ascii("{\"topic\":\"");
    private static final byte[] KEY = ascii("\",\"key\":\"");
    private static final byte[] VALUE = ascii("\",\"value\":\"");
    private static final byte[] END = ascii("\"}\n");
    private static final byte[] QUOTE = ascii("\\\"");
    private static final byte[] NAME_END = ascii("\\\":");
    private static final byte[] NULL = ascii("null");
    /** The most bytes one character can become: a control character escaped twice. */
    private static final int MAX_BYTES_PER_CHAR = 7;
    private static final int FLUSH_AT = 1 << 16;

    private final OutputStream out;
    private byte[] buffer = new byte[FLUSH_AT * 2];
    private int position;
    private char[] chars = new char[256];

    RecordLines(OutputStream out) {
        this.out = out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes one line per row of {@code table}, its records on {@code topic}. */
    void write(SemanticTable table, String topic) throws IOException {
        List<SemanticTable.Column> columns = table.columns();
        boolean[] inKey = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            inKey[i] = table.primaryKey().contains(columns.get(i).name());
        }
        for (List<Object> row : table.rows()) {
            append(TOPIC);
            escape(topic, false);
            append(KEY);
            object(columns, row, inKey);
            append(VALUE);
            object(columns, row, null);
            append(END);
            if (position >= FLUSH_AT) {
                out.write(buffer, 0, position);
                position = 0;
            }
        }
        out.write(buffer, 0, position);
        position = 0;
    }

    /** The JSON object of the row's columns ({@code key}: only those), escaped as the content of a JSON string. */
    private void object(List<SemanticTable.Column> columns, List<Object> row, boolean[] key) {
        reserve(1);
        buffer[position++] = '{';
        boolean first = true;
        for (int i = 0; i < columns.size(); i++) {
            if (key != null && !key[i]) {
                continue;
            }
            reserve(1);
            if (!first) {
                buffer[position++] = ',';
            }
            first = false;
            append(QUOTE);
            escape(columns.get(i).name(), true);
            append(NAME_END);
            Object v = row.get(i);
            if (v == null) {
                append(NULL);
            } else if (v instanceof Integer n) {
                append(ascii(Integer.toString(n)));
            } else {
                append(QUOTE);
                escape(v.toString(), true);
                append(QUOTE);
            }
        }
        reserve(1);
        buffer[position++] = '}';
    }

    private void append(byte[] bytes) {
        reserve(bytes.length);
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
    }

    private void reserve(int bytes) {
        if (position + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + bytes));
        }
    }

    /**
     * Appends {@code s} escaped as JSON string content and encoded as UTF-8; {@code twice}: escaped once more (a
     * string inside a string). Loops over arrays: a first version appending to a {@code StringBuilder} was slower
     * than the generator on the JIT's first tier, which {@code bin/fjr compile} runs on (docs/benchmarks.md).
     */
    private void escape(String s, boolean twice) {
        int length = s.length();
        if (chars.length < length) {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        s.getChars(0, length, chars, 0);
        reserve(length * MAX_BYTES_PER_CHAR);
        byte[] b = buffer;
        int n = position;
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[n++] = (byte) c;
                    continue;
                }
                // the escaping backslash, escaped itself when twice; then what it escapes, a quote or backslash
                // escaped again when twice
                if (twice) {
                    b[n++] = '\\';
                }
                b[n++] = '\\';
                switch (c) {
                    case '"', '\\' -> {
                        if (twice) {
                            b[n++] = '\\';
                        }
                        b[n++] = (byte) c;
                    }
                    case '\b' -> b[n++] = 'b';
                    case '\t' -> b[n++] = 't';
                    case '\n' -> b[n++] = 'n';
                    case '\f' -> b[n++] = 'f';
                    case '\r' -> b[n++] = 'r';
                    default -> {
                        b[n++] = 'u';
                        b[n++] = '0';
                        b[n++] = '0';
                        b[n++] = HEX[c >> 4];
                        b[n++] = HEX[c & 0xF];
                    }
                }
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                // Jackson's UTF-8 generator escapes each half of a surrogate pair (paired or not) on its own
                b[n++] = '\\';
                b[n++] = 'u';
                b[n++] = HEX[c >> 12];
                b[n++] = HEX[c >> 8 & 0xF];
                b[n++] = HEX[c >> 4 & 0xF];
                b[n++] = HEX[c & 0xF];
            } else {
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        position = n;
    }
}
