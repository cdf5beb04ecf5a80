package io.flinkjobrunner.sparql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Constructs the translator cannot handle fail the shape visibly: coverage entry with position and reason. */
class SparqlRejectionTest {

    private static SparqlCoverage rejected(String select, String message) {
        String shape = """
                iff:Bad a sh:NodeShape ; sh:targetClass iff:cutter ;
                  sh:sparql [ %s sh:select \"\"\"%s\"\"\" ] .
                """.formatted(message == null ? "" : "sh:message \"" + message + "\" ;", select);
        SparqlCompilation compilation = SparqlConstraintTest.compile(shape, SparqlConstraintTest.KNOWLEDGE);
        assertTrue(compilation.statements().isEmpty(), "a rejected shape must not produce a statement");
        assertEquals(1, compilation.coverage().size());
        SparqlCoverage coverage = compilation.coverage().get(0);
        assertFalse(coverage.compiled());
        assertEquals("https://industry-fusion.com/types/v0.9/Bad", coverage.shape());
        return coverage;
    }

    @Test
    void rejectsUnionWithItsPosition() {
        SparqlCoverage c = rejected("PREFIX iff: <https://industry-fusion.com/types/v0.9/>\n"
                + "SELECT $this WHERE {\n  { $this iff:a ?x } UNION { $this iff:b ?x }\n}", "m");
        assertEquals("shape https://industry-fusion.com/types/v0.9/Bad (query line 3, column 22): UNION is not "
                + "supported", c.detail());
    }

    @Test
    void rejectsSyntaxErrorsWithTheParserPosition() {
        SparqlCoverage c = rejected("SELECT $this WHERE {\n $this <urn:p> ?x \n FILTER(?x = ) }", "m");
        assertTrue(c.detail().startsWith("shape https://industry-fusion.com/types/v0.9/Bad (query line 3, column"),
                c.detail());
        assertTrue(c.detail().contains("SPARQL syntax error"), c.detail());
    }

    @Test
    void rejectsUnknownFunctionsWithTheirPosition() {
        SparqlCoverage c = rejected("SELECT $this WHERE { $this <urn:p> [ <https://uri.etsi.org/ngsi-ld/hasValue> ?x ]"
                + " FILTER(<urn:my:fn>(?x)) }", "m");
        assertTrue(c.detail().contains("function <urn:my:fn> is not supported"), c.detail());
        assertTrue(c.detail().contains("(query line 1, column"), c.detail());
    }

    @Test
    void skipsConstraintsWithoutMessageVisibly() {
        SparqlCoverage c = rejected("SELECT $this WHERE { $this <urn:p> ?x }", null);
        assertTrue(c.detail().contains("without sh:message"), c.detail());
    }

    @Test
    void rejectsMessagesNamingUnboundVariables() {
        SparqlCoverage c = rejected("SELECT $this WHERE { $this <urn:p> [ <https://uri.etsi.org/ngsi-ld/hasValue> ?x ] }",
                "value {?nope}");
        assertTrue(c.detail().contains("sh:message refers to ?nope"), c.detail());
    }

    @Test
    void rejectsMinusValuesAndLimit() {
        assertTrue(rejected("SELECT $this WHERE { $this <urn:p> ?x MINUS { $this <urn:q> ?x } }", "m").detail()
                .contains("MINUS"));
        assertTrue(rejected("SELECT $this WHERE { $this <urn:p> ?x VALUES ?x { 1 2 } }", "m").detail()
                .contains("VALUES"));
        assertTrue(rejected("SELECT $this WHERE { $this <urn:p> ?x } LIMIT 1", "m").detail().contains("LIMIT"));
    }
}
