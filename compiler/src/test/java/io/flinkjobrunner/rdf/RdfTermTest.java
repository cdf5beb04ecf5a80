package io.flinkjobrunner.rdf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.XSD;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

class RdfTermTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void serialisesLikeSparqlJsonResults() throws JsonProcessingException {
        assertEquals("{\"type\":\"uri\",\"value\":\"urn:a\"}", json.writeValueAsString(new RdfTerm.Iri("urn:a")));
        assertEquals("{\"type\":\"bnode\",\"value\":\"b0\"}", json.writeValueAsString(new RdfTerm.BlankNode("b0")));
        assertEquals("{\"type\":\"literal\",\"value\":\"75\",\"datatype\":\"http://www.w3.org/2001/XMLSchema#integer\"}",
                json.writeValueAsString(RdfTerm.of(Values.literal("75", XSD.INTEGER))));
        assertEquals("{\"type\":\"literal\",\"value\":\"Hallo\",\"datatype\":"
                + "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#langString\",\"xml:lang\":\"de\"}",
                json.writeValueAsString(RdfTerm.of(Values.literal("Hallo", "de"))));
    }

    @Test
    void convertsBothWaysAndWritesNTriples() {
        for (Value value : new Value[] {Values.iri("urn:x"), Values.bnode("n1"), Values.literal("a\"b\n"),
            Values.literal("1.5", XSD.DOUBLE), Values.literal("Tag", "en")}) {
            assertEquals(value, RdfTerm.of(value).toValue());
        }
        assertEquals("\"a\\\"b\\n\"", RdfTerm.of(Values.literal("a\"b\n")).toNTriples());
        assertEquals("\"1.5\"^^<http://www.w3.org/2001/XMLSchema#double>",
                RdfTerm.of(Values.literal("1.5", XSD.DOUBLE)).toNTriples());
        assertEquals("\"Tag\"@en", RdfTerm.of(Values.literal("Tag", "en")).toNTriples());
    }
}
