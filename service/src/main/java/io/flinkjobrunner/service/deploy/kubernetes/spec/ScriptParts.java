package io.flinkjobrunner.service.deploy.kubernetes.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a SQL script into parts small enough for one ConfigMap each.
 *
 * <p>The sql-runner reads a directory of parts ({@code part-0000.sql}, …) and concatenates them in name order, so any
 * cut is correct as long as the concatenation is the exact script. Cuts are made after a line break when the part has
 * one, which keeps every part readable with {@code kubectl get configmap}, and never inside a UTF-8 character.
 */
public final class ScriptParts {

    private ScriptParts() {
    }

    /** File name of part {@code index} inside the SQL directory. */
    public static String fileName(int index) {
        return "part-%04d.sql".formatted(index);
    }

    /**
     * Splits {@code script} into parts of at most {@code maxBytes} UTF-8 bytes whose concatenation is {@code script}.
     * An empty script is one empty part.
     */
    public static List<String> split(String script, int maxBytes) {
        if (maxBytes < 4) {
            throw new IllegalArgumentException("a part must hold at least one UTF-8 character (4 bytes)");
        }
        byte[] bytes = script.getBytes(StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (start < bytes.length || parts.isEmpty()) {
            int end = Math.min(bytes.length, start + maxBytes);
            if (end < bytes.length) {
                end = cutPoint(bytes, start, end);
            }
            parts.add(new String(Arrays.copyOfRange(bytes, start, end), StandardCharsets.UTF_8));
            start = end;
        }
        return List.copyOf(parts);
    }

    /** Last line end in (start, limit], else the last character boundary at or before limit. */
    private static int cutPoint(byte[] bytes, int start, int limit) {
        for (int i = limit - 1; i > start; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        int end = limit;
        // 10xxxxxx is a continuation byte: never cut before one.
        while (end > start + 1 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return end;
    }
}
