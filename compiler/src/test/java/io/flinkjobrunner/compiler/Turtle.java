package io.flinkjobrunner.compiler;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;

/** Test fixtures: Turtle from class-path resources or strings. */
public final class Turtle {

    static final String PREFIXES = """
            @prefix sh: <http://www.w3.org/ns/shacl#> .
            @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
            @prefix ex: <http://example.com/> .
            """;

    private Turtle() {
    }

    public static Model resource(String path) {
        try (InputStream in = Turtle.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return Rio.parse(in, "", RDFFormat.TURTLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Model parse(String turtle) {
        try {
            return Rio.parse(new StringReader(PREFIXES + turtle), "", RDFFormat.TURTLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
