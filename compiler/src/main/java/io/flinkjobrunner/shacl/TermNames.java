package io.flinkjobrunner.shacl;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Namespace;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.vocabulary.OWL;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.eclipse.rdf4j.model.vocabulary.XSD;

import io.flinkjobrunner.rdf.RdfTerm;

/** Writes RDF terms the way a person wrote them in Turtle: prefixed names, bare numbers, prefixed datatypes. */
final class TermNames {

    private static final Pattern LOCAL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");
    private static final List<Namespace> WELL_KNOWN = List.of(SHACL.NS, RDF.NS, RDFS.NS, XSD.NS, OWL.NS);
    private static final Set<String> BARE_DATATYPES = Set.of(XSD.INTEGER.stringValue(), XSD.DECIMAL.stringValue(),
            XSD.BOOLEAN.stringValue());
    private static final Pattern BARE_LEXICAL = Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?|true|false");

    private final Set<Namespace> namespaces;

    /** Uses {@code namespaces} (usually those declared in the shapes document) before the well-known ones. */
    TermNames(Set<Namespace> namespaces) {
        this.namespaces = Set.copyOf(namespaces);
    }

    /** {@code prefix:local} if a namespace fits, else {@code <iri>}; other terms in N-Triples. */
    String name(Value value) {
        if (value instanceof IRI iri) {
            return prefixed(iri, namespaces).or(() -> prefixed(iri, WELL_KNOWN)).orElse("<" + iri.stringValue() + ">");
        }
        return RdfTerm.of(value).toNTriples();
    }

    /** Like {@link #name} but literals as in Turtle: {@code 75}, {@code "on"}, {@code "x"^^xsd:date}. */
    String display(Value value) {
        if (value instanceof Literal literal) {
            String datatype = literal.getDatatype().stringValue();
            if (BARE_DATATYPES.contains(datatype) && BARE_LEXICAL.matcher(literal.getLabel()).matches()) {
                return literal.getLabel();
            }
            String quoted = RdfTerm.of(literal).toNTriples();
            return literal.getLanguage().isPresent() || datatype.equals(XSD.STRING.stringValue())
                    ? quoted : quoted.substring(0, quoted.lastIndexOf("^^<")) + "^^" + name(literal.getDatatype());
        }
        return name(value);
    }

    private static Optional<String> prefixed(IRI iri, Iterable<? extends Namespace> candidates) {
        String best = null;
        String value = iri.stringValue();
        for (Namespace namespace : candidates) {
            if (!value.startsWith(namespace.getName())) {
                continue;
            }
            String local = value.substring(namespace.getName().length());
            if (local.isEmpty() || LOCAL_NAME.matcher(local).matches()) {
                String candidate = namespace.getPrefix() + ":" + local;
                if (best == null || candidate.length() < best.length()
                        || (candidate.length() == best.length() && candidate.compareTo(best) < 0)) {
                    best = candidate;
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
