package io.flinkjobrunner.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a compiled Flink SQL script: {@code SET}/{@code RESET} go into the table configuration, every other statement
 * is executed in order, and each {@code EXECUTE STATEMENT SET} becomes one Flink job.
 *
 * <p>{@link #main} is the entry point of the Flink image (argument: a script file or a directory of
 * {@code part-NNNN.sql} files). The local engine calls {@link #run} in-process with the same script.
 */
public final class SqlRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SqlRunner.class);

    private SqlRunner() {
    }

    /** Entry point of the Flink image: {@code SqlRunner <script.sql | directory of part-NNNN.sql>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException(
                    "usage: SqlRunner <script.sql | directory containing part-0000.sql, part-0001.sql, ...>");
        }
        SqlScript script = SqlScript.read(Path.of(args[0]));
        TableEnvironment tableEnvironment = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        SqlRunResult result = run(tableEnvironment, script, RunOptions.AS_WRITTEN);
        for (JobClient job : result.jobs()) {
            LOG.info("submitted Flink job {}", job.getJobID());
        }
    }

    /**
     * Executes every statement of {@code script} on {@code tableEnvironment}.
     *
     * <p>Jobs are submitted, not awaited: the returned clients let the caller wait, cancel or stop them.
     *
     * @throws SqlRunException naming the failing statement and Flink's root cause
     */
    public static SqlRunResult run(TableEnvironment tableEnvironment, SqlScript script, RunOptions options) {
        KafkaTableOverrides overrides = new KafkaTableOverrides(options);
        Set<String> keysSetByScript = new LinkedHashSet<>();
        List<JobClient> jobs = new ArrayList<>();
        for (SqlStatement statement : script.statements()) {
            LOG.info("statement {} (line {}): {}", statement.number(), statement.line(), statement.firstLine());
            if (statement instanceof SqlStatement.StatementSet set) {
                jobs.add(executeStatementSet(tableEnvironment, set, overrides));
                continue;
            }
            try {
                if (statement instanceof SqlStatement.Set set) {
                    tableEnvironment.getConfig().set(set.key(), set.value());
                    keysSetByScript.add(set.key());
                } else if (statement instanceof SqlStatement.Reset reset) {
                    reset(tableEnvironment, reset, keysSetByScript);
                } else {
                    overrides.apply(tableEnvironment);
                    TableResult result = tableEnvironment.executeSql(statement.text());
                    result.getJobClient().ifPresent(jobs::add);
                    overrides.apply(tableEnvironment);
                }
            } catch (RuntimeException e) {
                throw new SqlRunException(statement, statement.line(), statement.firstLine(), e);
            }
        }
        return new SqlRunResult(jobs);
    }

    private static JobClient executeStatementSet(
            TableEnvironment tableEnvironment, SqlStatement.StatementSet set, KafkaTableOverrides overrides) {
        try {
            overrides.apply(tableEnvironment);
        } catch (RuntimeException e) {
            throw new SqlRunException(set, set.line(), set.firstLine(), e);
        }
        StatementSet statementSet = tableEnvironment.createStatementSet();
        for (SqlStatement.Insert insert : set.inserts()) {
            try {
                statementSet.addInsertSql(insert.text());
            } catch (RuntimeException e) {
                throw new SqlRunException(set, insert.line(), firstLine(insert.text()), e);
            }
        }
        try {
            TableResult result = statementSet.execute();
            return result.getJobClient().orElseThrow(
                    () -> new IllegalStateException("the statement set did not submit a job"));
        } catch (RuntimeException e) {
            throw new SqlRunException(set, set.line(), set.firstLine(), e);
        }
    }

    private static void reset(TableEnvironment tableEnvironment, SqlStatement.Reset reset, Set<String> keysSetByScript) {
        if (reset.key() != null) {
            tableEnvironment.getConfig().getConfiguration().removeKey(reset.key());
            keysSetByScript.remove(reset.key());
            return;
        }
        for (String key : keysSetByScript) {
            tableEnvironment.getConfig().getConfiguration().removeKey(key);
        }
        keysSetByScript.clear();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
