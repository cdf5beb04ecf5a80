package io.flinkjobrunner.shacl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.util.Models;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkjobrunner.rdf.TurtleReader;

class ShaclPathTest {

    private static ShaclPath pathOf(String turtlePath) {
        Model model = TurtleReader.read("""
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                @prefix ex: <http://ex/> .
                ex:S sh:path %s .
                """.formatted(turtlePath), "p.ttl").model();
        return ShaclPath.fromRdf(model, Models.object(model.filter(null, SHACL.PATH, null)).orElseThrow());
    }

    @Test
    void readsEveryPathKindAndRendersSparql() {
        assertEquals("<http://ex/p>", pathOf("ex:p").toSparql());
        assertEquals("(<http://ex/a> / ^<http://ex/b>)", pathOf("( ex:a [ sh:inversePath ex:b ] )").toSparql());
        assertEquals("(<http://ex/a> | <http://ex/b>*)",
                pathOf("[ sh:alternativePath ( ex:a [ sh:zeroOrMorePath ex:b ] ) ]").toSparql());
        assertEquals("<http://ex/a>+", pathOf("[ sh:oneOrMorePath ex:a ]").toSparql());
        assertEquals("<http://ex/a>?", pathOf("[ sh:zeroOrOnePath ex:a ]").toSparql());
    }

    @Test
    void knowsWhichPathsRdf4jEvaluates() {
        assertTrue(pathOf("( ex:a [ sh:alternativePath ( ex:b [ sh:inversePath ex:c ] ) ] )").evaluatedByRdf4j());
        assertFalse(pathOf("( ex:a [ sh:zeroOrMorePath ex:b ] )").evaluatedByRdf4j());
    }

    @Test
    void roundTripsThroughRdf() {
        ShaclPath path = pathOf("( ex:a [ sh:alternativePath ( ex:b [ sh:oneOrMorePath [ sh:inversePath ex:c ] ] ) ] )");
        Model model = new LinkedHashModel();
        Value root = ShaclPaths.write(path, model);
        assertEquals(path, ShaclPath.fromRdf(model, root));
    }

    @Test
    void serialisesPredicatePathsAsBareIrisAndOthersAsSparql() throws JsonProcessingException {
        ObjectMapper json = new ObjectMapper();
        assertEquals("\"http://ex/p\"", json.writeValueAsString(pathOf("ex:p")));
        assertEquals("\"^<http://ex/p>\"", json.writeValueAsString(pathOf("[ sh:inversePath ex:p ]")));
    }

    @Test
    void explainsMalformedPaths() {
        MalformedRdfException error = assertThrows(MalformedRdfException.class, () -> pathOf("( ex:a ex:b ex:c"
                + " [ sh:inversePath ex:d ; sh:oneOrMorePath ex:e ] )"));
        assertTrue(error.getMessage().startsWith("a blank-node path has exactly one property"), error.getMessage());
        assertEquals(List.of("bnode"), List.of(error.node().type()));
    }
}
