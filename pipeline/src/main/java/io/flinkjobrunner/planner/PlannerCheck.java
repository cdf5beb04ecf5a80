package io.flinkjobrunner.planner;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.compiler.UnitStatement;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;

/**
 * Checks a deployment unit with Flink's planner, offline: the DDL and views are executed in a fresh streaming
 * {@link TableEnvironment} (connector factories on the class path, no Kafka contacted) and the statement set is
 * planned with {@code explain}. A failure names the statement's shape, or reports a compiler defect for the generic
 * statements.
 *
 * <p>Two things make the check cheaper than the deployed job's planning without changing the plan it checks (with the
 * unit's {@code table.optimizer.reuse-optimize-block-with-digest-enabled} the optimized plan is identical to the one
 * the script as written gets, asserted by PlannerCheckTest; see docs/benchmarks.md):
 * <ul>
 *   <li>A {@code CREATE VIEW} is validated and registered as a temporary view of its planned query rather than as a
 *       catalog view of SQL text. A SQL-text view is parsed, validated and converted again at every reference, and
 *       the generic views reference each other (checks → values → focus → entities), so the text form multiplied the
 *       conversion work; the planned form converts each view once.</li>
 *   <li>Generated code is not split into smaller methods ({@code table.generated-code.max-length}): explain generates
 *       the operators' code but never compiles it, and splitting re-parses every generated class with a Java
 *       grammar, a quarter of the check's time. The deployed job splits as usual.</li>
 * </ul>
 *
 * <p>A successful check is remembered for the SQL it planned (a digest of every statement, in order): planning is a
 * function of the statements alone, and the compiler carries shapes as data, so rebuilding a deployment after its
 * shapes changed produces the same SQL and needs no second planning. Failures are not remembered. Across processes
 * ({@code bin/fjr compile}) the successes can be kept on disk, {@link AcceptedUnits}.
 */
public final class PlannerCheck {

    private static final Pattern SET = Pattern.compile("(?s)SET\\s+'([^']*)'\\s*=\\s*'([^']*)'");
    /** The compiler's views: {@code CREATE VIEW `name` AS query}; other forms are executed as written. */
    private static final Pattern VIEW = Pattern.compile("(?s)CREATE\\s+VIEW\\s+(`(?:[^`]|``)+`)\\s+AS\\s+(.*)");

    /**
     * Shapes of {@link #warmUp}: a property shape with the common value checks and counts, and an {@code sh:or}, so
     * the generic views, one combination level and the publish statement are planned.
     */
    private static final String WARM_UP_SHAPES = """
            @prefix sh: <http://www.w3.org/ns/shacl#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
            @prefix ex: <http://example.com/warm-up/> .
            ex:Shape a sh:NodeShape ; sh:targetClass ex:Machine ;
              sh:property [ sh:path ex:temperature ; sh:minCount 1 ; sh:maxCount 1 ;
                sh:property [ sh:path ngsi-ld:hasValue ; sh:datatype xsd:double ; sh:minInclusive 0 ;
                  sh:or ( [ sh:maxInclusive 100 ] [ sh:pattern "^[0-9]+$" ] ) ] ] ;
              sh:property [ sh:path ex:part ; sh:property [ sh:path ngsi-ld:hasObject ; sh:class ex:Part ] ] .
            """;

    /**
     * Checks of this process: statement digest → plan, for the successful ones and the ones running (a second check of
     * the same SQL waits for the first instead of planning again); a few distinct units, least recently used out.
     */
    private static final int REMEMBERED = 32;
    private static final Map<String, CompletableFuture<String>> CHECKED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<String>> eldest) {
            return size() > REMEMBERED;
        }
    };
    private static final AtomicLong PLANNINGS = new AtomicLong();
    private static final AtomicLong CHECKS = new AtomicLong();

    private PlannerCheck() {
    }

    /** Number of units this process has planned (checks answered from an earlier identical unit excluded). */
    public static long plannings() {
        return PLANNINGS.get();
    }

    /** Number of checks asked for in this process, answered from an earlier check or not (the warm-up's excluded). */
    public static long checks() {
        return CHECKS.get();
    }

    /**
     * Plans a small built-in unit {@code rounds} times. A long-running process calls it in the background at start:
     * the first check in a JVM loads the planner's classes and runs Calcite and the code generator interpreted
     * (about ten times slower than later checks), and the generic statements are the same in every unit, so
     * planning them warms exactly the paths a real check takes.
     *
     * @return the duration of each round, in milliseconds
     */
    public static List<Long> warmUp(int rounds) {
        return warmUp(rounds, () -> true);
    }

    /**
     * {@link #warmUp(int)}, asking {@code proceed} before each round: it ends early once the caller has better use for
     * the cores.
     *
     * @return the duration of each round run, in milliseconds
     */
    public static List<Long> warmUp(int rounds, BooleanSupplier proceed) {
        DeploymentUnit unit;
        try {
            unit = new ShaclCompiler().assemble(new LinkedHashModel(),
                    Rio.parse(new StringReader(WARM_UP_SHAPES), "", RDFFormat.TURTLE), CompileOptions.defaults("warm-up"));
        } catch (CompilationException | IOException e) {
            throw new IllegalStateException("compiler defect: the built-in warm-up shapes do not compile", e);
        }
        List<Long> durations = new ArrayList<>();
        for (int i = 0; i < rounds && proceed.getAsBoolean(); i++) {
            long started = System.nanoTime();
            try {
                plan(unit);
            } catch (CompilationException e) {
                throw new IllegalStateException("compiler defect: the built-in warm-up unit does not plan", e);
            }
            durations.add((System.nanoTime() - started) / 1_000_000);
        }
        return durations;
    }

    /**
     * Compiles the unit and checks it with Flink's planner.
     *
     * @throws CompilationException naming the shape behind a statement Flink rejects, or the compiler defect
     */
    public static DeploymentUnit compile(Model knowledge, Model shapes, CompileOptions options)
            throws CompilationException {
        DeploymentUnit unit = new ShaclCompiler().assemble(knowledge, shapes, options);
        check(unit);
        return unit;
    }

    /**
     * Checks the unit with Flink's planner, or finds that an identical unit was checked successfully before (or
     * waits for a check of it that is running); returns Flink's plan of what it planned. INSERTs that differ only in the values of their literals are planned once
     * ({@link #form}): the first of each form, in one statement set with the unit's other INSERTs of other forms.
     *
     * @throws CompilationException naming the shape (or the compiler defect) behind the first statement Flink rejects
     */
    public static String check(DeploymentUnit unit) throws CompilationException {
        CHECKS.incrementAndGet();
        return check(unit, digest(unit));
    }

    /**
     * {@link #check}, or nothing when {@code accepted} holds this unit (an earlier process planned it); a unit this
     * check accepts is added to {@code accepted}.
     *
     * @throws CompilationException as {@link #check}
     */
    public static void check(DeploymentUnit unit, AcceptedUnits accepted) throws CompilationException {
        CHECKS.incrementAndGet();
        String digest = digest(unit);
        if (accepted.contains(digest)) {
            return;
        }
        check(unit, digest);
        accepted.add(digest);
    }

    /**
     * {@link #check(DeploymentUnit)} unless {@code accepted} holds this unit, recording nothing: for a check started
     * ahead on a thread of its own, whose caller goes on to check the same unit with {@link #check(DeploymentUnit,
     * AcceptedUnits)} (which waits for this one and records it), so that no write of the record outlives the caller.
     *
     * @throws CompilationException as {@link #check}
     */
    public static void checkUnlessAccepted(DeploymentUnit unit, AcceptedUnits accepted) throws CompilationException {
        CHECKS.incrementAndGet();
        String digest = digest(unit);
        if (!accepted.contains(digest)) {
            check(unit, digest);
        }
    }

    private static String check(DeploymentUnit unit, String digest) throws CompilationException {
        CompletableFuture<String> checking;
        CompletableFuture<String> mine = new CompletableFuture<>();
        synchronized (CHECKED) {
            checking = CHECKED.putIfAbsent(digest, mine);
        }
        if (checking != null) {
            try {
                return checking.join();
            } catch (CompletionException e) {
                // the same SQL failed in the check that was running: the same failure
                if (e.getCause() instanceof CompilationException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw e;
            }
        }
        try {
            String plan = plan(distinctForms(unit));
            mine.complete(plan);
            return plan;
        } catch (CompilationException | RuntimeException | Error e) {
            // failures are not remembered: the next check of this SQL plans again
            synchronized (CHECKED) {
                CHECKED.remove(digest, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Plans the whole unit with Flink's planner, every statement, never answered from an earlier check (benchmarks,
     * the warm-up, and the proof that the check plans what the deployed job plans).
     *
     * @throws CompilationException naming the shape (or the compiler defect) behind the first statement Flink rejects
     */
    static String plan(DeploymentUnit unit) throws CompilationException {
        List<Numbered> all = new ArrayList<>();
        for (UnitStatement statement : unit.statements()) {
            all.add(new Numbered(all.size() + 1, statement));
        }
        return plan(all);
    }

    /** A statement and its number in the unit (1-based), which messages name. */
    private record Numbered(int number, UnitStatement statement) {
    }

    /**
     * The statements of the unit with one INSERT of each {@link #form}, numbered as in the unit. SPARQL constraints
     * and rules compile to one INSERT each, and a shapes graph's constraints are mostly variations of a few
     * patterns; planning is linear in the number of INSERTs (about 0.15 s each, docs/benchmarks.md), so 1,000
     * constraints took minutes. What can make an INSERT fail to plan is its structure and its types: names of
     * tables, columns and functions, joins, expressions, and the type of every literal (a literal's type follows
     * from its kind and length, which the form keeps). Only a value that the optimizer evaluates as a constant and
     * that fails there would be missed; the job's own planning at submission still reports it.
     */
    static List<Numbered> distinctForms(DeploymentUnit unit) {
        List<Numbered> kept = new ArrayList<>();
        Set<String> forms = new HashSet<>();
        int number = 0;
        for (UnitStatement statement : unit.statements()) {
            number++;
            if (statement.kind() != UnitStatement.Kind.INSERT || forms.add(form(statement.sql()))) {
                kept.add(new Numbered(number, statement));
            }
        }
        return kept;
    }

    /**
     * The form of a statement: its text with every character of a string literal replaced by {@code x} and every
     * digit of a numeric literal by {@code 0}. Identifiers (quoted or not), keywords, operators and comments are
     * kept, so two statements have the same form exactly when they differ in literal values of the same kinds and
     * lengths.
     */
    static String form(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (sql.startsWith("--", i) || sql.startsWith("/*", i)) {
                // a comment is kept as written (a quote in it starts no literal)
                int end = sql.startsWith("--", i) ? sql.indexOf('\n', i) : sql.indexOf("*/", i + 2);
                end = end < 0 ? n : sql.startsWith("/*", i) ? end + 2 : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '\'' || c == '`' || c == '"') {
                // a quoted string ('…', quote doubled inside) or identifier (`…` / "…", delimiter doubled inside)
                out.append(c);
                int j = i + 1;
                while (j < n) {
                    char d = sql.charAt(j);
                    if (d == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            out.append(c == '\'' ? "x" : String.valueOf(c) + c);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    out.append(c == '\'' ? 'x' : d);
                    j++;
                }
                if (j < n) {
                    out.append(c);
                }
                i = j + 1;
            } else if (Character.isDigit(c) && (i == 0 || !identifierPart(sql.charAt(i - 1)))) {
                // a numeric literal: digits, a decimal point and an exponent keep their places
                while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    out.append(sql.charAt(i) == '.' ? '.' : '0');
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static String plan(List<Numbered> statements) throws CompilationException {
        PLANNINGS.incrementAndGet();
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set(TableConfigOptions.MAX_LENGTH_GENERATED_CODE, Integer.MAX_VALUE);
        StatementSet set = env.createStatementSet();
        for (Numbered numbered : statements) {
            UnitStatement statement = numbered.statement();
            try {
                switch (statement.kind()) {
                    case SET -> {
                        Matcher m = SET.matcher(statement.sql());
                        if (!m.matches()) {
                            throw new IllegalArgumentException("malformed SET statement");
                        }
                        env.getConfig().getConfiguration().setString(m.group(1), m.group(2));
                    }
                    case INSERT -> set.addInsertSql(statement.sql());
                    case CREATE_VIEW -> createView(env, statement.sql());
                    default -> env.executeSql(statement.sql());
                }
            } catch (RuntimeException e) {
                throw failure(statement, numbered.number(), e);
            }
        }
        try {
            return set.explain();
        } catch (RuntimeException e) {
            // the set as a whole failed to plan: find the insert that fails on its own
            for (Numbered numbered : statements) {
                if (numbered.statement().kind() == UnitStatement.Kind.INSERT) {
                    try {
                        env.explainSql(numbered.statement().sql());
                    } catch (RuntimeException single) {
                        throw failure(numbered.statement(), numbered.number(), single);
                    }
                }
            }
            throw new CompilationException(null, "compiler defect: Flink cannot plan the statement set: " + rootCause(e), e);
        }
    }

    /** SHA-256 over every statement's kind and SQL, in order. */
    static String digest(DeploymentUnit unit) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (UnitStatement statement : unit.statements()) {
                sha.update(statement.kind().name().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(statement.sql().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void createView(TableEnvironment env, String sql) {
        Matcher m = VIEW.matcher(sql);
        if (m.matches()) {
            env.createTemporaryView(m.group(1), env.sqlQuery(m.group(2)));
        } else {
            env.executeSql(sql);
        }
    }

    private static CompilationException failure(UnitStatement statement, int number, RuntimeException e) {
        String first = statement.sql().lines().findFirst().orElse("");
        String message = "statement " + number + " (" + statement.kind() + ": " + first + ") rejected by Flink: "
                + rootCause(e);
        if (statement.shape() == null) {
            return new CompilationException(null, "compiler defect: generic " + message, e);
        }
        return new CompilationException(statement.shape(), message, e);
    }

    static String rootCause(Throwable e) {
        Throwable t = e;
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null && !out.toString().contains(t.getMessage())) {
                out.append(": ").append(t.getMessage());
            }
        }
        return out.toString();
    }
}
