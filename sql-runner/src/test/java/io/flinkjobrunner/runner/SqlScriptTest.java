package io.flinkjobrunner.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlScriptTest {

    @Test
    void splitsStatementsAndRecordsTheirFirstLine() {
        SqlScript script = SqlScript.parse("""
                CREATE TABLE a (x INT) WITH ('connector' = 'datagen');

                -- a comment before the second statement
                CREATE VIEW b AS
                  SELECT x FROM a;
                DROP VIEW b""");

        List<SqlStatement> statements = script.statements();
        assertEquals(3, statements.size());
        assertEquals(new SqlStatement.Single(1, 1, "CREATE TABLE a (x INT) WITH ('connector' = 'datagen')"),
                statements.get(0));
        assertEquals(new SqlStatement.Single(2, 4, "CREATE VIEW b AS\n  SELECT x FROM a"), statements.get(1));
        assertEquals(new SqlStatement.Single(3, 6, "DROP VIEW b"), statements.get(2));
    }

    @Test
    void treatsSemicolonsAndCommentMarkersInsideLiteralsAsText() {
        String insert = "INSERT INTO t VALUES ('a;b', 'x--y', '/* no */', 'END;', 'it''s; fine', '\\', 'EXECUTE STATEMENT SET BEGIN')";

        SqlScript script = SqlScript.parse(insert + ";\nSELECT 1;");

        assertEquals(List.of(new SqlStatement.Single(1, 1, insert), new SqlStatement.Single(2, 2, "SELECT 1")),
                script.statements());
    }

    @Test
    void treatsSemicolonsInsideBacktickIdentifiersAsText() {
        String create = "CREATE TABLE `we;ird--name` (`col``;/*` STRING, `it's` INT)";

        SqlScript script = SqlScript.parse(create + ";");

        assertEquals(List.of(new SqlStatement.Single(1, 1, create)), script.statements());
    }

    @Test
    void ignoresQuotesAndSemicolonsInsideComments() {
        SqlScript script = SqlScript.parse("""
                -- it's; a comment with 'a quote
                SELECT 1 /* don't; stop */ FROM t;
                /* a block
                   comment; END; */
                SELECT 2;""");

        assertEquals(2, script.statements().size());
        assertEquals("SELECT 1 /* don't; stop */ FROM t", script.statements().get(0).text());
        assertEquals(2, script.statements().get(0).line());
        assertEquals(new SqlStatement.Single(2, 5, "SELECT 2"), script.statements().get(1));
    }

    @Test
    void keepsHintsInTheStatementText() {
        String select = "SELECT /*+ STATE_TTL('D'='0d', 'C'='0d') */ * FROM d JOIN c ON d.id = c.id";

        SqlScript script = SqlScript.parse(select + ";");

        assertEquals(select, script.statements().get(0).text());
    }

    @Test
    void groupsExecuteStatementSetIntoOneStatement() {
        SqlScript script = SqlScript.parse("""
                SET 'pipeline.name' = 'validation';
                EXECUTE STATEMENT SET
                BEGIN
                  INSERT INTO a SELECT 'END;' FROM t;
                  -- the second insert
                  INSERT INTO b SELECT x FROM t WHERE p = '^a--b;$';
                END;
                """);

        assertEquals(2, script.statements().size());
        SqlStatement.StatementSet set = assertInstanceOf(SqlStatement.StatementSet.class, script.statements().get(1));
        assertEquals(2, set.number());
        assertEquals(2, set.line());
        assertEquals(List.of(
                new SqlStatement.Insert(4, "INSERT INTO a SELECT 'END;' FROM t"),
                new SqlStatement.Insert(6, "INSERT INTO b SELECT x FROM t WHERE p = '^a--b;$'")), set.inserts());
        assertTrue(set.text().startsWith("EXECUTE STATEMENT SET"));
        assertTrue(set.text().endsWith("END"));
    }

    @Test
    void groupsTheSqlClientStatementSetSyntax() {
        SqlScript script = SqlScript.parse("BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\ninsert into b select 2;\nend;");

        SqlStatement.StatementSet set = assertInstanceOf(SqlStatement.StatementSet.class, script.statements().get(0));
        assertEquals(List.of(new SqlStatement.Insert(2, "INSERT INTO a SELECT 1"),
                new SqlStatement.Insert(3, "insert into b select 2")), set.inserts());
    }

    @Test
    void parsesSetAndReset() {
        SqlScript script = SqlScript.parse("""
                SET 'table.exec.sink.upsert-materialize' = 'NONE';
                SET 'pipeline.name' = 'it''s; a name';
                set parallelism.default = 1;
                RESET 'pipeline.name';
                RESET;
                """);

        List<SqlStatement> statements = script.statements();
        SqlStatement.Set first = assertInstanceOf(SqlStatement.Set.class, statements.get(0));
        assertEquals("table.exec.sink.upsert-materialize", first.key());
        assertEquals("NONE", first.value());
        SqlStatement.Set second = assertInstanceOf(SqlStatement.Set.class, statements.get(1));
        assertEquals("it's; a name", second.value());
        SqlStatement.Set third = assertInstanceOf(SqlStatement.Set.class, statements.get(2));
        assertEquals("parallelism.default", third.key());
        assertEquals("1", third.value());
        assertEquals("pipeline.name", assertInstanceOf(SqlStatement.Reset.class, statements.get(3)).key());
        assertNull(assertInstanceOf(SqlStatement.Reset.class, statements.get(4)).key());
    }

    @Test
    void scriptOfCommentsOnlyHasNoStatements() {
        assertEquals(List.of(), SqlScript.parse("-- nothing\n/* at all */ ;\n ; ").statements());
    }

    @Test
    void reportsUnterminatedLiteralAtItsOpeningQuote() {
        SqlScriptException error = assertThrows(SqlScriptException.class,
                () -> SqlScript.parse("SELECT 1;\nSELECT 'it''s open;\nSELECT 2;", "checks.sql"));

        assertEquals("checks.sql:2:8: unterminated string literal", error.getMessage());
        assertEquals(2, error.line());
        assertEquals(8, error.column());
    }

    @Test
    void reportsUnterminatedIdentifierAndComment() {
        assertEquals("script:1:14: unterminated quoted identifier",
                assertThrows(SqlScriptException.class, () -> SqlScript.parse("CREATE TABLE `t;")).getMessage());
        assertEquals("script:2:3: unterminated block comment",
                assertThrows(SqlScriptException.class, () -> SqlScript.parse("SELECT 1;\n  /* open; ")).getMessage());
    }

    @Test
    void rejectsMalformedStatementSets() {
        assertEquals("script:1:1: statement set is not closed with END;", assertThrows(SqlScriptException.class,
                () -> SqlScript.parse("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1;")).getMessage());
        assertEquals("script:2:1: only INSERT statements may appear inside a statement set, found CREATE",
                assertThrows(SqlScriptException.class, () -> SqlScript.parse(
                        "EXECUTE STATEMENT SET BEGIN\nCREATE TABLE x (a INT);\nEND;")).getMessage());
        assertEquals("script:1:11: END without a preceding EXECUTE STATEMENT SET BEGIN",
                assertThrows(SqlScriptException.class, () -> SqlScript.parse("SELECT 1; END;")).getMessage());
        assertEquals("script:1:1: statement set has no INSERT statement",
                assertThrows(SqlScriptException.class, () -> SqlScript.parse("BEGIN STATEMENT SET; END;")).getMessage());
    }

    @Test
    void rejectsMalformedSet() {
        assertEquals("script:2:1: expected SET 'key' = 'value'", assertThrows(SqlScriptException.class,
                () -> SqlScript.parse("SELECT 1;\nSET 'a' 'b';")).getMessage());
    }

    @Test
    void readsPartsInNumericOrderAcrossStatementBoundaries(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("part-0000.sql"), "CREATE TABLE a (x STRING) WITH ('p' = 'a;");
        Files.writeString(directory.resolve("part-0001.sql"), "b');\nSELECT ");
        Files.writeString(directory.resolve("part-10.sql"), "'last';");
        Files.writeString(directory.resolve("part-2.sql"), "1;\nSELECT ");
        Files.writeString(directory.resolve("README"), "not SQL;");

        SqlScript script = SqlScript.read(directory);

        assertEquals(List.of(
                new SqlStatement.Single(1, 1, "CREATE TABLE a (x STRING) WITH ('p' = 'a;b')"),
                new SqlStatement.Single(2, 2, "SELECT 1"),
                new SqlStatement.Single(3, 3, "SELECT 'last'")), script.statements());
    }

    @Test
    void rejectsDirectoryWithoutParts(@TempDir Path directory) {
        assertThrows(NoSuchFileException.class, () -> SqlScript.read(directory));
    }
}
