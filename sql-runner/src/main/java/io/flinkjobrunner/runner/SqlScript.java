package io.flinkjobrunner.runner;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Flink SQL script split into statements.
 *
 * <p>The splitter understands single-quoted literals (with {@code ''} escapes), backtick identifiers, {@code --} line
 * comments and {@code /* *}{@code /} block comments (including {@code /*+ hints *}{@code /}). A {@code ;} or comment
 * marker inside a literal or identifier is text, never syntax: SHACL patterns and IRIs routinely contain {@code --},
 * {@code ;}, {@code /*} and {@code END;}. Comments are kept in the statement text (Flink parses them; hints matter), only
 * comments before a statement's first token are dropped.
 *
 * <p>{@code EXECUTE STATEMENT SET BEGIN … END;} and the SQL client's {@code BEGIN STATEMENT SET; … END;} become one
 * {@link SqlStatement.StatementSet}: one Flink job. {@code SET 'k' = 'v';} and {@code RESET} are recognised so the
 * runner can apply them to the table configuration.
 */
public final class SqlScript {

    private static final Pattern PART_FILE = Pattern.compile("part-(\\d+)\\.sql");
    private static final Pattern EXECUTE_STATEMENT_SET =
            Pattern.compile("\\s*EXECUTE\\s+STATEMENT\\s+SET\\s+BEGIN\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern BEGIN_STATEMENT_SET =
            Pattern.compile("\\s*BEGIN\\s+STATEMENT\\s+SET\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern END = Pattern.compile("\\s*END\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern INSERT = Pattern.compile("\\s*INSERT\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern SET_KEYWORD = Pattern.compile("\\s*SET\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern SET_QUOTED = Pattern.compile(
            "\\s*SET\\s+'((?:[^']|'')*)'\\s*=\\s*'((?:[^']|'')*)'\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SET_PLAIN =
            Pattern.compile("\\s*SET\\s+([^\\s=']+)\\s*=\\s*([^\\s']+)\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern RESET_KEYWORD = Pattern.compile("\\s*RESET\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern RESET = Pattern.compile(
            "\\s*RESET(?:\\s+(?:'((?:[^']|'')*)'|([^\\s']+)))?\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final String source;
    private final String text;
    private final List<SqlStatement> statements;

    private SqlScript(String source, String text, List<SqlStatement> statements) {
        this.source = source;
        this.text = text;
        this.statements = List.copyOf(statements);
    }

    /** Splits {@code text}; errors name the script as {@code "script"}. */
    public static SqlScript parse(String text) {
        return parse(text, "script");
    }

    /**
     * Splits {@code text} into statements.
     *
     * @param source name used in error messages (usually the file name)
     * @throws SqlScriptException for an unterminated literal, identifier or comment, a statement set without
     *     {@code END}, a non-INSERT statement inside a statement set, or a malformed {@code SET}
     */
    public static SqlScript parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        return new Splitter(text, source).split();
    }

    /**
     * Reads a script file, or a directory of parts {@code part-0000.sql}, {@code part-0001.sql}, … concatenated in
     * numeric order (large scripts are split across ConfigMaps; a statement may span two parts). Other files in the
     * directory are ignored.
     */
    public static SqlScript read(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        }
        List<Path> parts;
        try (Stream<Path> files = Files.list(path)) {
            parts = files.filter(file -> PART_FILE.matcher(file.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(SqlScript::partNumber))
                    .toList();
        }
        if (parts.isEmpty()) {
            throw new NoSuchFileException(path.toString(), null, "no part-NNNN.sql files in the directory");
        }
        StringBuilder text = new StringBuilder();
        for (Path part : parts) {
            text.append(Files.readString(part, StandardCharsets.UTF_8));
        }
        return parse(text.toString(), path.toString());
    }

    private static BigInteger partNumber(Path file) {
        Matcher matcher = PART_FILE.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            throw new IllegalStateException("not a part file: " + file);
        }
        return new BigInteger(matcher.group(1));
    }

    /** Name of the script in error messages. */
    public String source() {
        return source;
    }

    /** The full script text. */
    public String text() {
        return text;
    }

    /** The statements in script order. */
    public List<SqlStatement> statements() {
        return statements;
    }

    /** Lexes the script once, then groups the {@code ;}-separated chunks into statements. */
    private static final class Splitter {

        private final String text;
        private final String source;
        private final int[] lineStarts;
        /** The text with every comment blanked out (newlines kept); literals and identifiers are unchanged. */
        private final char[] code;
        private final List<int[]> chunks = new ArrayList<>();

        Splitter(String text, String source) {
            this.text = text;
            this.source = source;
            this.lineStarts = lineStarts(text);
            this.code = text.toCharArray();
        }

        SqlScript split() {
            lex();
            List<SqlStatement> statements = new ArrayList<>();
            OpenSet open = null;
            for (int[] chunk : chunks) {
                int start = firstCodeChar(chunk[0], chunk[1]);
                if (start < 0) {
                    continue;
                }
                int end = chunk[1];
                String codeView = new String(code, start, end - start);
                String statementText = text.substring(start, end).strip();
                if (open != null) {
                    if (END.matcher(codeView).matches()) {
                        if (open.inserts.isEmpty()) {
                            throw error(open.start, "statement set has no INSERT statement");
                        }
                        String setText = text.substring(open.start, end).strip();
                        statements.add(new SqlStatement.StatementSet(
                                statements.size() + 1, open.line, setText, open.inserts));
                        open = null;
                    } else {
                        open.add(start, statementText, codeView);
                    }
                    continue;
                }
                Matcher execute = EXECUTE_STATEMENT_SET.matcher(codeView);
                if (execute.lookingAt()) {
                    open = new OpenSet(start, lineOf(start));
                    int first = firstCodeChar(start + execute.end(), end);
                    if (first >= 0) {
                        open.add(first, text.substring(first, end).strip(), new String(code, first, end - first));
                    }
                } else if (BEGIN_STATEMENT_SET.matcher(codeView).matches()) {
                    open = new OpenSet(start, lineOf(start));
                } else if (END.matcher(codeView).matches()) {
                    throw error(start, "END without a preceding EXECUTE STATEMENT SET BEGIN");
                } else if (SET_KEYWORD.matcher(codeView).lookingAt()) {
                    statements.add(set(statements.size() + 1, start, statementText, codeView));
                } else if (RESET_KEYWORD.matcher(codeView).lookingAt()) {
                    statements.add(reset(statements.size() + 1, start, statementText, codeView));
                } else {
                    statements.add(new SqlStatement.Single(statements.size() + 1, lineOf(start), statementText));
                }
            }
            if (open != null) {
                throw error(open.start, "statement set is not closed with END;");
            }
            return new SqlScript(source, text, statements);
        }

        private SqlStatement set(int number, int start, String statementText, String codeView) {
            Matcher quoted = SET_QUOTED.matcher(codeView);
            if (quoted.matches()) {
                return new SqlStatement.Set(number, lineOf(start), statementText,
                        unquote(quoted.group(1)), unquote(quoted.group(2)));
            }
            Matcher plain = SET_PLAIN.matcher(codeView);
            if (plain.matches()) {
                return new SqlStatement.Set(number, lineOf(start), statementText, plain.group(1), plain.group(2));
            }
            throw error(start, "expected SET 'key' = 'value'");
        }

        private SqlStatement reset(int number, int start, String statementText, String codeView) {
            Matcher reset = RESET.matcher(codeView);
            if (!reset.matches()) {
                throw error(start, "expected RESET or RESET 'key'");
            }
            String key = reset.group(1) != null ? unquote(reset.group(1)) : reset.group(2);
            return new SqlStatement.Reset(number, lineOf(start), statementText, key);
        }

        private static String unquote(String literalBody) {
            return literalBody.replace("''", "'");
        }

        /** Blanks comments in {@link #code} and records the {@code [start, end)} offsets of {@code ;}-separated chunks. */
        private void lex() {
            int chunkStart = 0;
            int i = 0;
            int length = text.length();
            while (i < length) {
                char c = text.charAt(i);
                if (c == '\'' || c == '`') {
                    int close = closingQuote(i, c);
                    if (close < 0) {
                        throw error(i, c == '\'' ? "unterminated string literal" : "unterminated quoted identifier");
                    }
                    i = close + 1;
                } else if (c == '-' && i + 1 < length && text.charAt(i + 1) == '-') {
                    int newline = text.indexOf('\n', i);
                    int commentEnd = newline < 0 ? length : newline;
                    blank(i, commentEnd);
                    i = commentEnd;
                } else if (c == '/' && i + 1 < length && text.charAt(i + 1) == '*') {
                    int close = text.indexOf("*/", i + 2);
                    if (close < 0) {
                        throw error(i, "unterminated block comment");
                    }
                    blank(i, close + 2);
                    i = close + 2;
                } else if (c == ';') {
                    chunks.add(new int[] {chunkStart, i});
                    chunkStart = i + 1;
                    i++;
                } else {
                    i++;
                }
            }
            chunks.add(new int[] {chunkStart, length});
        }

        /** Offset of the quote closing the literal or identifier opened at {@code open}; doubled quotes are escapes. */
        private int closingQuote(int open, char quote) {
            int i = open + 1;
            while (i < text.length()) {
                if (text.charAt(i) == quote) {
                    if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                        i += 2;
                        continue;
                    }
                    return i;
                }
                i++;
            }
            return -1;
        }

        private void blank(int from, int to) {
            for (int i = from; i < to; i++) {
                if (code[i] != '\n' && code[i] != '\r') {
                    code[i] = ' ';
                }
            }
        }

        private int firstCodeChar(int from, int to) {
            for (int i = from; i < to; i++) {
                if (!Character.isWhitespace(code[i])) {
                    return i;
                }
            }
            return -1;
        }

        private int lineOf(int offset) {
            int index = Arrays.binarySearch(lineStarts, offset);
            return index >= 0 ? index + 1 : -index - 1;
        }

        private SqlScriptException error(int offset, String reason) {
            int line = lineOf(offset);
            int column = offset - lineStarts[line - 1] + 1;
            return new SqlScriptException(source, line, column, reason);
        }

        private static int[] lineStarts(String text) {
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    starts.add(i + 1);
                }
            }
            return starts.stream().mapToInt(Integer::intValue).toArray();
        }

        /** A statement set being collected: its start and the INSERTs seen so far. */
        private final class OpenSet {
            final int start;
            final int line;
            final List<SqlStatement.Insert> inserts = new ArrayList<>();

            OpenSet(int start, int line) {
                this.start = start;
                this.line = line;
            }

            void add(int offset, String insertText, String codeView) {
                if (!INSERT.matcher(codeView).lookingAt()) {
                    String firstWord = codeView.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
                    throw error(offset, "only INSERT statements may appear inside a statement set, found " + firstWord);
                }
                inserts.add(new SqlStatement.Insert(lineOf(offset), insertText));
            }
        }
    }
}
