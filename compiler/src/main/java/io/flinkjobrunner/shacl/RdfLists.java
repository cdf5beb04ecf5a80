package io.flinkjobrunner.shacl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.vocabulary.RDF;

import io.flinkjobrunner.rdf.RdfTerm;

/**
 * Reads SHACL lists: the syntax rule {@code SHACL-list} (Appendix C {@code shsh:ListShape}) says a list is
 * {@code rdf:nil}, or a node with exactly one {@code rdf:first} and exactly one {@code rdf:rest} that is again a list,
 * without cycles.
 */
final class RdfLists {

    private RdfLists() {
    }

    /** The members of the list starting at {@code head}, or a {@link MalformedRdfException} saying what is wrong. */
    static List<Value> members(Model model, Value head) {
        if (!(head instanceof Resource node)) {
            throw new MalformedRdfException(RdfTerm.of(head), "expected an RDF list such as ( a b ), found the literal "
                    + RdfTerm.of(head).toNTriples());
        }
        List<Value> members = new ArrayList<>();
        Set<Resource> seen = new HashSet<>();
        Resource current = node;
        while (!RDF.NIL.equals(current)) {
            if (!seen.add(current)) {
                throw new MalformedRdfException(RdfTerm.of(current), "the RDF list is cyclic: its rdf:rest chain "
                        + "returns to an earlier node instead of ending in rdf:nil");
            }
            Set<Value> first = model.filter(current, RDF.FIRST, null).objects();
            Set<Value> rest = model.filter(current, RDF.REST, null).objects();
            if (first.isEmpty() && rest.isEmpty()) {
                throw new MalformedRdfException(RdfTerm.of(current), members.isEmpty()
                        ? "expected an RDF list such as ( a b ), found " + describe(current) + ", which is not a list"
                        : "the RDF list does not end in rdf:nil: " + describe(current) + " has no rdf:first/rdf:rest");
            }
            if (first.size() != 1) {
                throw new MalformedRdfException(RdfTerm.of(current), "the RDF list node " + describe(current)
                        + " has " + first.size() + " values for rdf:first; a list node has exactly one");
            }
            if (rest.size() != 1) {
                throw new MalformedRdfException(RdfTerm.of(current), "the RDF list node " + describe(current)
                        + " has " + rest.size() + " values for rdf:rest; a list node has exactly one");
            }
            Value next = rest.iterator().next();
            if (!(next instanceof Resource nextNode)) {
                throw new MalformedRdfException(RdfTerm.of(current), "the RDF list node " + describe(current)
                        + " has the literal " + RdfTerm.of(next).toNTriples() + " as rdf:rest");
            }
            members.add(first.iterator().next());
            current = nextNode;
        }
        if (!model.filter(RDF.NIL, RDF.FIRST, null).isEmpty() || !model.filter(RDF.NIL, RDF.REST, null).isEmpty()) {
            throw new MalformedRdfException(RdfTerm.of(RDF.NIL), "rdf:nil must not have rdf:first or rdf:rest");
        }
        return members;
    }

    private static String describe(Resource node) {
        return node.isBNode() ? "(a blank node)" : RdfTerm.of(node).toNTriples();
    }
}
