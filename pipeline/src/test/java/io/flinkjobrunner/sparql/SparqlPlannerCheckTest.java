package io.flinkjobrunner.sparql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.eclipse.rdf4j.model.Model;
import org.junit.jupiter.api.Test;

/**
 * Every compiled statement of the reference cases plans in streaming mode against the reference DDL (Kafka and
 * upsert-kafka connectors, no broker needed), together in one statement set as the unit runs them.
 */
class SparqlPlannerCheckTest {

    @Test
    void referenceStatementsPlanAgainstTheReferenceDdl() throws IOException {
        List<SparqlStatement> statements = new ArrayList<>();
        try (Stream<Path> shapes = Files.walk(KmsSparqlSuiteTest.KMS)) {
            for (Path file : shapes.filter(p -> p.getFileName().toString().equals("shacl.ttl")).sorted().toList()) {
                Model knowledge = TestKnowledge.closure(TestKnowledge.parse(
                        Files.readString(file.resolveSibling("knowledge.ttl"))));
                SparqlCompilation compilation = new SparqlShapeCompiler(
                        TestKnowledge.parse(Files.readString(file)), knowledge).compile();
                assertTrue(compilation.coverage().stream().allMatch(SparqlCoverage::compiled),
                        compilation.coverage()::toString);
                statements.addAll(compilation.statements());
            }
        }
        assertFalse(statements.isEmpty());
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        ReferenceDdl.declare(env);
        for (SparqlStatement statement : statements) {
            try {
                env.explainSql(statement.sql());
            } catch (RuntimeException e) {
                throw new AssertionError(statement.shape() + " " + statement.name() + ": " + e.getMessage(), e);
            }
        }
        StatementSet set = env.createStatementSet();
        statements.forEach(s -> set.addInsertSql(s.sql()));
        assertFalse(set.explain().isEmpty());
    }
}
