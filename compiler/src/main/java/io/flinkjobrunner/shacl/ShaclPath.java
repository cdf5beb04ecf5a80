package io.flinkjobrunner.shacl;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Value;

import com.fasterxml.jackson.annotation.JsonValue;


/**
 * A SHACL property path (SHACL 2.3.1) as a value.
 *
 * <p>Serialised to JSON as the bare IRI for a predicate path and as SPARQL 1.1 property-path syntax otherwise
 * (e.g. {@code ^<http://ex/p>} or {@code (<http://ex/a> / <http://ex/b>)}).
 */
public sealed interface ShaclPath {

    /** SPARQL 1.1 property path syntax. */
    String toSparql();

    /** Whether RDF4J 5.2's ShaclSail evaluates this path; it ignores shapes whose path uses *, + or ?. */
    boolean evaluatedByRdf4j();

    @JsonValue
    default String toJson() {
        return this instanceof Predicate predicate ? predicate.iri() : toSparql();
    }

    /** SHACL 2.3.1.1: an IRI. */
    record Predicate(String iri) implements ShaclPath {
        public Predicate {
            Objects.requireNonNull(iri, "iri");
        }

        @Override
        public String toSparql() {
            return "<" + iri + ">";
        }

        @Override
        public boolean evaluatedByRdf4j() {
            return true;
        }
    }

    /** SHACL 2.3.1.2: a list of at least two paths. */
    record Sequence(List<ShaclPath> paths) implements ShaclPath {
        public Sequence {
            paths = List.copyOf(paths);
        }

        @Override
        public String toSparql() {
            return paths.stream().map(ShaclPath::toSparql).collect(Collectors.joining(" / ", "(", ")"));
        }

        @Override
        public boolean evaluatedByRdf4j() {
            return paths.stream().allMatch(ShaclPath::evaluatedByRdf4j);
        }
    }

    /** SHACL 2.3.1.3: {@code sh:alternativePath} with a list of at least two paths. */
    record Alternative(List<ShaclPath> paths) implements ShaclPath {
        public Alternative {
            paths = List.copyOf(paths);
        }

        @Override
        public String toSparql() {
            return paths.stream().map(ShaclPath::toSparql).collect(Collectors.joining(" | ", "(", ")"));
        }

        @Override
        public boolean evaluatedByRdf4j() {
            return paths.stream().allMatch(ShaclPath::evaluatedByRdf4j);
        }
    }

    /** SHACL 2.3.1.4: {@code sh:inversePath}. */
    record Inverse(ShaclPath path) implements ShaclPath {
        @Override
        public String toSparql() {
            return "^" + path.toSparql();
        }

        @Override
        public boolean evaluatedByRdf4j() {
            return path.evaluatedByRdf4j();
        }
    }

    /** SHACL 2.3.1.5: {@code sh:zeroOrMorePath}. */
    record ZeroOrMore(ShaclPath path) implements ShaclPath {
        @Override
        public String toSparql() {
            return path.toSparql() + "*";
        }

        @Override
        public boolean evaluatedByRdf4j() {
            return false;
        }
    }

    /** SHACL 2.3.1.6: {@code sh:oneOrMorePath}. */
    record OneOrMore(ShaclPath path) implements ShaclPath {
        @Override
        public String toSparql() {
            return path.toSparql() + "+";
        }

        @Override
        public boolean evaluatedByRdf4j() {
            return false;
        }
    }

    /** SHACL 2.3.1.7: {@code sh:zeroOrOnePath}. */
    record ZeroOrOne(ShaclPath path) implements ShaclPath {
        @Override
        public String toSparql() {
            return path.toSparql() + "?";
        }

        @Override
        public boolean evaluatedByRdf4j() {
            return false;
        }
    }

    /**
     * Reads the path whose root is {@code node} (the value of an {@code sh:path}).
     *
     * @throws MalformedRdfException if it is not a well-formed SHACL path (syntax rules path-node, path-non-recursive,
     *                               SHACL 2.3.1), with a message saying which rule is broken
     */
    static ShaclPath fromRdf(Model model, Value node) {
        return ShaclPaths.read(model, node, new HashSet<>());
    }
}
