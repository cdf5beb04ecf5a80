package io.flinkjobrunner.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.CoverageReport;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.compiler.ShapeStatementTranslator;
import io.flinkjobrunner.compiler.SqlIdentifiers;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.compiler.Turtle;
import io.flinkjobrunner.compiler.UnitStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlannerCheckTest {

    @Test
    void referenceCaseWithEveryComponentPlansAsOneStatementSet() throws Exception {
        Model shapes = Turtle.resource("/kms/kms-constraints/test1/shacl.ttl");
        shapes.addAll(Turtle.parse("""
                ex:Every a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ;
                  sh:property [ sh:path ex:a ; sh:uniqueLang true ; sh:equals ex:b ; sh:lessThan ex:d ;
                    sh:qualifiedValueShape [ sh:property [ sh:path ngsi-ld:hasValue ; sh:in ( "x" ) ] ] ;
                    sh:qualifiedMinCount 1 ;
                    sh:property [ sh:path ngsi-ld:hasValue ; sh:languageIn ( "en" ) ;
                      sh:not [ sh:hasValue "b" ] ; sh:xone ( [ sh:minLength 1 ] [ sh:maxLength 3 ] ) ] ] .
                """));
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(
                Turtle.resource("/kms/kms-constraints/test1/knowledge.ttl"), shapes, CompileOptions.defaults("test"));
        String plan = PlannerCheck.check(unit);
        assertTrue(plan.contains("alerts_bulk"), plan);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kms-constraints/test2", "kms-rules/test3"})
    void checksThePlanTheScriptAsWrittenDeploys(String name) throws Exception {
        DeploymentUnit unit = PlannerCheck.compile(Turtle.resource("/kms/" + name + "/knowledge.ttl"),
                Turtle.resource("/kms/" + name + "/shacl.ttl"), CompileOptions.defaults("test"));
        assertTrue(unit.statements().stream().filter(s -> s.kind() == UnitStatement.Kind.INSERT).count() > 1,
                "several sinks share the views");
        // what sql-runner does: every statement executed as written, views as SQL text
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        StatementSet set = env.createStatementSet();
        for (UnitStatement statement : unit.statements()) {
            switch (statement.kind()) {
                case SET -> {
                    Matcher m = Pattern.compile("SET '([^']*)' = '([^']*)'").matcher(statement.sql());
                    assertTrue(m.matches(), statement.sql());
                    env.getConfig().set(m.group(1), m.group(2));
                }
                case INSERT -> set.addInsertSql(statement.sql());
                default -> env.executeSql(statement.sql());
            }
        }
        // correlation variables are numbered in conversion order, which differs between the two ways of planning
        assertEquals(set.explain().replaceAll("\\$cor\\d+", "\\$cor"),
                PlannerCheck.check(unit).replaceAll("\\$cor\\d+", "\\$cor"));
    }

    @Test
    void remembersSuccessfulChecksOfTheSameSqlButNotFailures() throws Exception {
        Model knowledge = Turtle.resource("/kms/kms-constraints/test1/knowledge.ttl");
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(knowledge,
                Turtle.resource("/kms/kms-constraints/test1/shacl.ttl"), CompileOptions.defaults("remember"));
        long before = PlannerCheck.plannings();
        long checks = PlannerCheck.checks();
        String plan = PlannerCheck.check(unit);
        assertEquals(before + 1, PlannerCheck.plannings());
        assertEquals(checks + 1, PlannerCheck.checks());
        // other shapes, same generic SQL (shapes are data): the plan of the first check answers
        DeploymentUnit changedShapes = new ShaclCompiler(List.of()).assemble(knowledge, Turtle.parse("""
                ex:S a sh:NodeShape ; sh:targetClass ex:C ;
                  sh:property [ sh:path ex:a ; sh:minCount 2 ; sh:property [ sh:path ngsi-ld:hasValue ;
                    sh:maxInclusive 3 ; sh:pattern "x" ] ] .
                """), CompileOptions.defaults("remember"));
        assertEquals(statementsOf(unit), statementsOf(changedShapes));
        assertEquals(plan, PlannerCheck.check(changedShapes));
        assertEquals(before + 1, PlannerCheck.plannings());
        assertEquals(checks + 2, PlannerCheck.checks(), "a remembered check is a check asked for");
        // other SQL (topics of another deployment) is planned
        PlannerCheck.check(new ShaclCompiler(List.of()).assemble(knowledge,
                Turtle.resource("/kms/kms-constraints/test1/shacl.ttl"), CompileOptions.defaults("remember-other")));
        assertEquals(before + 2, PlannerCheck.plannings());
        // a failure is reported every time, never remembered as a success
        DeploymentUnit broken = unitWith(tables -> List.of(), tables -> "INSERT INTO "
                + SqlIdentifiers.quote(tables.alertsBulk()) + " SELECT `id`, `nope` FROM "
                + SqlIdentifiers.quote(tables.entitiesView()));
        assertThrows(CompilationException.class, () -> PlannerCheck.check(broken));
        assertThrows(CompilationException.class, () -> PlannerCheck.check(broken));
        assertEquals(before + 4, PlannerCheck.plannings());
    }

    @Test
    void theWarmUpAsksBeforeEachRoundAndIsNoCheckAskedFor() {
        long checks = PlannerCheck.checks();
        long plannings = PlannerCheck.plannings();
        assertEquals(1, PlannerCheck.warmUp(3, () -> PlannerCheck.plannings() == plannings).size());
        assertEquals(plannings + 1, PlannerCheck.plannings());
        assertEquals(checks, PlannerCheck.checks(), "a build's check stops a warm-up; its own rounds do not");
    }

    @Test
    void aCheckOfSqlThatIsBeingCheckedWaitsForItInsteadOfPlanningAgain() throws Exception {
        DeploymentUnit unit = test1Unit("concurrent-");
        long before = PlannerCheck.plannings();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Callable<String> check = () -> {
                start.await();
                return PlannerCheck.check(unit);
            };
            java.util.concurrent.Future<String> first = pool.submit(check);
            java.util.concurrent.Future<String> second = pool.submit(check);
            assertEquals(first.get(), second.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + 1, PlannerCheck.plannings(), "two checks of the same SQL at once plan it once");
    }

    /**
     * Across processes: a unit a planner accepted is answered from its record without planning (shown with a unit
     * Flink rejects, recorded by hand: the record alone answers, which is why its name includes the planner's
     * identity), another planner's record does not answer, and a rejected unit is never recorded.
     */
    @Test
    void acceptedUnitsOnDiskAnswerLaterChecksOfTheSamePlanner(@TempDir Path directory) throws Exception {
        DeploymentUnit unit = test1Unit("accepted-");
        AcceptedUnits accepted = new AcceptedUnits(directory.resolve("planner-checks"), "planner A");
        long before = PlannerCheck.plannings();
        PlannerCheck.check(unit, accepted);
        assertEquals(before + 1, PlannerCheck.plannings());
        assertTrue(accepted.contains(PlannerCheck.digest(unit)));
        try (Stream<Path> records = Files.list(directory.resolve("planner-checks"))) {
            assertEquals(1, records.count(), "one record, no partial file left");
        }

        DeploymentUnit broken = unitWith(tables -> List.of(), tables -> "INSERT INTO "
                + SqlIdentifiers.quote(tables.alertsBulk()) + " SELECT `id`, `nope` FROM "
                + SqlIdentifiers.quote(tables.entitiesView()));
        assertThrows(CompilationException.class, () -> PlannerCheck.check(broken, accepted));
        assertFalse(accepted.contains(PlannerCheck.digest(broken)), "a rejected unit is not recorded");
        accepted.add(PlannerCheck.digest(broken));
        long recorded = PlannerCheck.plannings();
        long checks = PlannerCheck.checks();
        PlannerCheck.check(broken, accepted);
        assertEquals(recorded, PlannerCheck.plannings(), "the record answered; nothing was planned");
        assertEquals(checks + 1, PlannerCheck.checks(), "but it counts as a check asked for (the warm-up yields)");
        AcceptedUnits otherPlanner = new AcceptedUnits(directory.resolve("planner-checks"), "planner B");
        assertFalse(otherPlanner.contains(PlannerCheck.digest(broken)));
        assertThrows(CompilationException.class, () -> PlannerCheck.check(broken, otherPlanner));
    }

    /** The shapes of kms-constraints test1 without knowledge, compiled for a deployment of its own. */
    private static DeploymentUnit test1Unit(String deploymentPrefix) throws Exception {
        return new ShaclCompiler(List.of()).assemble(Turtle.parse(""),
                Turtle.resource("/kms/kms-constraints/test1/shacl.ttl"),
                CompileOptions.defaults(deploymentPrefix + System.nanoTime()));
    }

    /** A check started ahead plans unless the record answers, and never writes the record itself. */
    @Test
    void aCheckAheadReadsTheRecordButDoesNotWriteIt(@TempDir Path directory) throws Exception {
        DeploymentUnit unit = test1Unit("ahead-");
        AcceptedUnits accepted = new AcceptedUnits(directory.resolve("planner-checks"), "planner A");
        long plannings = PlannerCheck.plannings();
        PlannerCheck.checkUnlessAccepted(unit, accepted);
        assertEquals(plannings + 1, PlannerCheck.plannings());
        assertFalse(accepted.contains(PlannerCheck.digest(unit)), "the check ahead recorded nothing");
        assertTrue(Files.notExists(directory.resolve("planner-checks")), "nor left a partial file");

        DeploymentUnit recordedElsewhere = test1Unit("ahead-");
        accepted.add(PlannerCheck.digest(recordedElsewhere));
        long before = PlannerCheck.plannings();
        PlannerCheck.checkUnlessAccepted(recordedElsewhere, accepted);
        assertEquals(before, PlannerCheck.plannings(), "a recorded unit is not planned");
    }

    /** The planner's identity follows every jar and every file of a class directory, and nothing else. */
    @Test
    void thePlannersIdentityChangesWithAnyClassPathEntry(@TempDir Path directory) throws Exception {
        Path jar = Files.writeString(directory.resolve("a.jar"), "jar");
        Path classes = Files.createDirectories(directory.resolve("classes/io/x"));
        Path type = Files.writeString(classes.resolve("T.class"), "class");
        String classPath = jar + java.io.File.pathSeparator + directory.resolve("classes");
        String identity = AcceptedUnits.plannerOf(classPath);
        assertEquals(identity, AcceptedUnits.plannerOf(classPath));
        Files.writeString(jar, "jar, rebuilt");
        String rebuiltJar = AcceptedUnits.plannerOf(classPath);
        assertNotEquals(identity, rebuiltJar);
        Files.setLastModifiedTime(type, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(type).toMillis() + 5_000));
        String recompiled = AcceptedUnits.plannerOf(classPath);
        assertNotEquals(rebuiltJar, recompiled);
        Files.writeString(classes.resolve("U.class"), "class");
        assertNotEquals(recompiled, AcceptedUnits.plannerOf(classPath));
    }

    /** A directory that cannot be written costs a planning, never a failed check. */
    @Test
    void aRecordThatCannotBeWrittenIsNotAnError(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "");
        DeploymentUnit unit = test1Unit("unwritable-");
        AcceptedUnits accepted = new AcceptedUnits(file.resolve("planner-checks"), "planner A");
        PlannerCheck.check(unit, accepted);
        assertFalse(accepted.contains(PlannerCheck.digest(unit)));
    }

    private static List<String> statementsOf(DeploymentUnit unit) {
        return unit.statements().stream().map(UnitStatement::sql).toList();
    }

    @Test
    void warmsUpWithABuiltInUnitThatPlans() {
        // throws if the built-in shapes stop compiling or planning
        assertEquals(2, PlannerCheck.warmUp(2).size());
    }

    @Test
    void namesTheShapeBehindAStatementFlinkRejects() throws Exception {
        DeploymentUnit unit = unitWith(tables -> List.of(), tables -> "INSERT INTO "
                + SqlIdentifiers.quote(tables.alertsBulk()) + " SELECT `id`, `nope` FROM "
                + SqlIdentifiers.quote(tables.entitiesView()));
        CompilationException e = assertThrows(CompilationException.class, () -> PlannerCheck.check(unit));
        assertEquals(BROKEN_SHAPE, e.shape());
        assertTrue(e.getMessage().startsWith("shape " + BROKEN_SHAPE + ": statement "), e.getMessage());
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void namesTheShapeBehindAViewFlinkRejects() throws Exception {
        DeploymentUnit unit = unitWith(
                tables -> List.of("CREATE VIEW `shape_view` AS\nSELECT `id`, `nope` FROM "
                        + SqlIdentifiers.quote(tables.entitiesView())),
                tables -> "INSERT INTO " + SqlIdentifiers.quote(tables.alertsBulk()) + " SELECT * FROM `shape_view`");
        CompilationException e = assertThrows(CompilationException.class, () -> PlannerCheck.check(unit));
        assertEquals(BROKEN_SHAPE, e.shape());
        assertTrue(e.getMessage().contains("(CREATE_VIEW: CREATE VIEW `shape_view` AS)"), e.getMessage());
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void plansInsertsThatReadAShapesViews() throws Exception {
        // a view over a view, as translators may define them; the check registers both as planned views
        DeploymentUnit unit = unitWith(
                tables -> List.of("CREATE VIEW `shape_entities` AS\nSELECT `id`, `type` FROM "
                                + SqlIdentifiers.quote(tables.entitiesView()) + " WHERE `deleted` IS NOT TRUE",
                        "CREATE VIEW `shape_alerts` AS\nSELECT `id` AS `resource`, 'Shape' AS `event`, 'Development' "
                                + "AS `environment`, ARRAY['SHACL Validator'] AS `service`, 'warning' AS `severity`, "
                                + "'customer' AS `customer`, `type` AS `text` FROM `shape_entities`"),
                tables -> "INSERT INTO " + SqlIdentifiers.quote(tables.alertsBulk()) + " SELECT * FROM `shape_alerts`");
        String plan = PlannerCheck.check(unit);
        // two sinks: the generic publish statement and the shape's insert through its two views
        String sink = "LogicalSink(table=[default_catalog.default_database." + unit.tables().alertsBulk() + "]";
        assertEquals(2, plan.split(Pattern.quote(sink), -1).length - 1, plan);
        assertTrue(plan.contains("IS NOT TRUE"), plan);
    }

    @Test
    void formsKeepStructureIdentifiersAndLiteralKindsAndLengths() {
        assertEquals("SELECT `a1`, 'xxx', 00.0 FROM `t` WHERE x2 = 'xxxx' -- it's 1\n AND b = 0",
                PlannerCheck.form("SELECT `a1`, 'abc', 12.5 FROM `t` WHERE x2 = 'it''s' -- it's 1\n AND b = 7"));
        assertEquals(PlannerCheck.form("SELECT 'Shape1', 1.5"), PlannerCheck.form("SELECT 'Shape2', 7.5"));
        assertTrue(!PlannerCheck.form("SELECT 'Shape1'").equals(PlannerCheck.form("SELECT 'Shape10'")),
                "another length is another type (CHAR(n))");
        assertTrue(!PlannerCheck.form("SELECT `Shape1`").equals(PlannerCheck.form("SELECT `Shape2`")),
                "identifiers are structure");
        assertTrue(!PlannerCheck.form("SELECT 1").equals(PlannerCheck.form("SELECT '1'")));
    }

    @Test
    void plansEachFormOfInsertOnceAndNamesTheFirstOfAFailingForm() throws Exception {
        DeploymentUnit base = new ShaclCompiler(List.of()).assemble(Turtle.parse(""),
                Turtle.resource("/kms/kms-constraints/test1/shacl.ttl"), CompileOptions.defaults("forms"));
        TableNames t = base.tables();
        String insert = "INSERT INTO " + SqlIdentifiers.quote(t.alertsBulk()) + " SELECT `id`, '%s', 'Development', "
                + "ARRAY['SHACL Validator'], 'warning', 'customer', `type` FROM " + SqlIdentifiers.quote(t.entitiesView())
                + " WHERE %s";
        DeploymentUnit unit = withInserts(base,
                new UnitStatement(UnitStatement.Kind.INSERT, insert.formatted("ShapeA", "`type` = 'urn:c1'"), "ex:A"),
                new UnitStatement(UnitStatement.Kind.INSERT, insert.formatted("ShapeB", "`type` = 'urn:c2'"), "ex:B"),
                new UnitStatement(UnitStatement.Kind.INSERT, insert.formatted("ShapeC", "`deleted` IS NOT TRUE"),
                        "ex:C"));
        String sink = "LogicalSink(table=[default_catalog.default_database." + t.alertsBulk() + "]";
        // the generic publish statement, the form of A and B (planned with A), C
        assertEquals(3, PlannerCheck.check(unit).split(Pattern.quote(sink), -1).length - 1);
        assertEquals(4, PlannerCheck.plan(unit).split(Pattern.quote(sink), -1).length - 1);

        int first = base.statements().size() + 1;
        DeploymentUnit broken = withInserts(base,
                new UnitStatement(UnitStatement.Kind.INSERT, insert.formatted("ShapeA", "`type` = 'urn:c1'"), "ex:A"),
                new UnitStatement(UnitStatement.Kind.INSERT, insert.formatted("ShapeB", "`nope` = 'urn:c1'"), "ex:B"),
                new UnitStatement(UnitStatement.Kind.INSERT, insert.formatted("ShapeD", "`nope` = 'urn:c2'"), "ex:D"));
        CompilationException e = assertThrows(CompilationException.class, () -> PlannerCheck.check(broken));
        assertEquals("ex:B", e.shape());
        assertTrue(e.getMessage().contains("statement " + (first + 1) + " (INSERT: "), e.getMessage());
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    private static DeploymentUnit withInserts(DeploymentUnit base, UnitStatement... inserts) {
        List<UnitStatement> statements = new java.util.ArrayList<>(base.statements());
        statements.addAll(List.of(inserts));
        return new DeploymentUnit(statements, base.semanticData(), base.topics(), base.bootstrapServers(),
                base.tables(), base.coverage());
    }

    private static final String BROKEN_SHAPE = "http://example.com/BrokenShape";

    /** A unit whose {@code sh:sparql} shape compiles to the given definitions and one insert, all tagged with it. */
    private static DeploymentUnit unitWith(Function<TableNames, List<String>> views,
            Function<TableNames, String> insert) throws Exception {
        ShapeStatementTranslator translator = new ShapeStatementTranslator() {
            @Override
            public Set<IRI> handles() {
                return Set.of(SHACL.SPARQL);
            }

            @Override
            public List<CoverageReport.Entry> coverage(Model shapes) {
                return List.of();
            }

            @Override
            public Translation translate(TranslationContext context) {
                return new Translation(views.apply(context.tables()).stream()
                        .map(v -> new UnitStatement(UnitStatement.Kind.CREATE_VIEW, v, BROKEN_SHAPE)).toList(),
                        List.of(new UnitStatement(UnitStatement.Kind.INSERT, insert.apply(context.tables()),
                                BROKEN_SHAPE)), List.of());
            }
        };
        return new ShaclCompiler(List.of(translator)).assemble(Turtle.parse(""), Turtle.parse("""
                ex:BrokenShape a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this {}" ] .
                """), CompileOptions.defaults("test"));
    }
}
