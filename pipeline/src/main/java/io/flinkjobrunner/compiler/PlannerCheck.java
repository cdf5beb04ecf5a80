package io.flinkjobrunner.compiler;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;

/**
 * Checks a deployment unit with Flink's planner, offline: the DDL and views are executed in a fresh streaming
 * {@link TableEnvironment} (connector factories on the class path, no Kafka contacted) and the statement set is
 * planned with {@code explain}. A failure names the statement's shape, or reports a compiler defect for the generic
 * statements.
 */
public final class PlannerCheck {

    private static final Pattern SET = Pattern.compile("(?s)SET\\s+'([^']*)'\\s*=\\s*'([^']*)'");

    private PlannerCheck() {
    }

    /**
     * Plans the whole unit; returns Flink's plan.
     *
     * @throws CompilationException naming the shape (or the compiler defect) behind the first statement Flink rejects
     */
    public static String check(DeploymentUnit unit) throws CompilationException {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        StatementSet set = env.createStatementSet();
        int number = 0;
        for (UnitStatement statement : unit.statements()) {
            number++;
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
                    default -> env.executeSql(statement.sql());
                }
            } catch (RuntimeException e) {
                throw failure(statement, number, e);
            }
        }
        try {
            return set.explain();
        } catch (RuntimeException e) {
            // the set as a whole failed to plan: find the insert that fails on its own
            number = 0;
            for (UnitStatement statement : unit.statements()) {
                number++;
                if (statement.kind() == UnitStatement.Kind.INSERT) {
                    try {
                        env.explainSql(statement.sql());
                    } catch (RuntimeException single) {
                        throw failure(statement, number, single);
                    }
                }
            }
            throw new CompilationException(null, "compiler defect: Flink cannot plan the statement set: " + rootCause(e), e);
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
