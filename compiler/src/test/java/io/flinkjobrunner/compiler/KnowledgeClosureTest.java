package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.XSD;
import org.junit.jupiter.api.Test;

class KnowledgeClosureTest {

    @Test
    void appliesTheReferenceClosureRules() {
        SemanticTable rdf = ShaclCompilerTestSupport.closed("""
                @prefix owl: <http://www.w3.org/2002/07/owl#> .
                ex:b rdfs:subClassOf ex:a . ex:c rdfs:subClassOf ex:b . ex:k a rdfs:Class . ex:lower a rdfs:class .
                ex:i a ex:c .
                ex:higher a owl:TransitiveProperty . ex:x ex:higher ex:y . ex:y ex:higher ex:z .
                ex:w ex:bag [ a rdf:Bag ; rdf:_1 "1.4301" ; rdf:_2 ex:iri ] .
                ex:n ex:v 1200 , 1.50 , "1.0E2"^^xsd:double , "it's" .
                """);
        Set<String> triples = rdf.rows().stream().map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2))
                .collect(Collectors.toSet());
        String sub = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>";
        assertTrue(triples.contains("<http://example.com/c> " + sub + " <http://example.com/a>"), "transitive");
        assertTrue(triples.contains("<http://example.com/b> " + sub + " <http://example.com/b>"), "reflexive");
        assertTrue(triples.contains("<http://example.com/k> " + sub + " <http://example.com/k>"), "declared class");
        assertFalse(triples.contains("<http://example.com/a> " + sub + " <http://example.com/a>"),
                "an object of subClassOf alone gets no reflexive row");
        assertFalse(triples.contains("<http://example.com/lower> " + sub + " <http://example.com/lower>"),
                "rdfs:class (lowercase) is not rdfs:Class");
        assertFalse(triples.contains("<http://example.com/i> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                + "<http://example.com/a>"), "no rdf:type inheritance");
        assertTrue(triples.contains("<http://example.com/x> <http://example.com/higher> <http://example.com/z>"));
        assertTrue(triples.stream().anyMatch(t -> t.endsWith("<http://www.w3.org/2000/01/rdf-schema#member> \"1.4301\"")));
        assertTrue(triples.stream().anyMatch(t -> t.endsWith("<http://www.w3.org/2000/01/rdf-schema#member> "
                + "\"http://example.com/iri\"")), "bag members become string literals");
        List<Object> values = rdf.rows().stream().filter(r -> r.get(0).equals("<http://example.com/n>"))
                .map(r -> r.get(2)).toList();
        assertTrue(values.containsAll(List.of("1200", "1.50", "100.0", "\"it's\"")), values.toString());
        assertEquals(List.of(0, 1, 2, 3), rdf.rows().stream()
                .filter(r -> r.get(0).equals("<http://example.com/n>")).map(r -> r.get(3)).sorted().toList());
    }

    @Test
    void formatsDoublesLikePython() {
        assertEquals("1e+16", RdfTerms.pythonFloat(1e16));
        assertEquals("1.5e-05", RdfTerms.pythonFloat(1.5e-5));
        assertEquals("123456.789", RdfTerms.pythonFloat(123456.789));
        assertEquals("-0.5", RdfTerms.pythonFloat(-0.5));
        Literal bool = SimpleValueFactory.getInstance().createLiteral("true", XSD.BOOLEAN);
        assertEquals("\"true\"", RdfTerms.encode(bool));
    }

    /** Every row of the closed knowledge (a unit ships the rows its statements read, see KnowledgeRowsTest). */
    static final class ShaclCompilerTestSupport {
        static SemanticTable closed(String knowledge) {
            return KnowledgeRows.all(KnowledgeClosure.of(Turtle.parse(knowledge)));
        }
    }
}
