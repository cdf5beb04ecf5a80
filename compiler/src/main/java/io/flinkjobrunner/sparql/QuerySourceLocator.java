package io.flinkjobrunner.sparql;

import java.util.Locale;

/**
 * Finds where a keyword or name occurs in a SPARQL query, skipping string literals, IRIs in angle brackets and
 * comments. Used only to point error messages at the offending construct; translation itself works on the algebra.
 */
final class QuerySourceLocator {

    private final String query;

    QuerySourceLocator(String query) {
        this.query = query;
    }

    /** The 1-based {line, column} of the first occurrence of {@code token}, or {0, 0} when not found. */
    int[] find(String token) {
        if (token == null || token.isEmpty()) {
            return new int[] {0, 0};
        }
        boolean iri = token.startsWith("<");
        String needle = token.toLowerCase(Locale.ROOT);
        int i = 0;
        int n = query.length();
        while (i < n) {
            char c = query.charAt(i);
            if (c == '#') {
                while (i < n && query.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                i = skipString(i);
                continue;
            }
            if (c == '<' && !iri && looksLikeIri(i)) {
                i = query.indexOf('>', i) + 1;
                continue;
            }
            if (query.regionMatches(true, i, needle, 0, needle.length()) && isBoundary(i, needle)) {
                return position(i);
            }
            i++;
        }
        return new int[] {0, 0};
    }

    private boolean isBoundary(int start, String needle) {
        boolean wordStart = start == 0 || !isNameChar(query.charAt(start - 1));
        int end = start + needle.length();
        boolean wordEnd = end >= query.length() || !isNameChar(query.charAt(end))
                || !isNameChar(needle.charAt(needle.length() - 1));
        return (wordStart || !isNameChar(needle.charAt(0))) && wordEnd;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private boolean looksLikeIri(int start) {
        int close = query.indexOf('>', start);
        if (close < 0) {
            return false;
        }
        for (int j = start + 1; j < close; j++) {
            char c = query.charAt(j);
            if (Character.isWhitespace(c) || c == '"' || c == '{' || c == '}') {
                return false;
            }
        }
        return true;
    }

    private int skipString(int start) {
        char quote = query.charAt(start);
        boolean triple = query.startsWith(String.valueOf(quote).repeat(3), start);
        int i = start + (triple ? 3 : 1);
        while (i < query.length()) {
            char c = query.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (triple ? query.startsWith(String.valueOf(quote).repeat(3), i) : c == quote) {
                return i + (triple ? 3 : 1);
            }
            i++;
        }
        return i;
    }

    private int[] position(int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (query.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
