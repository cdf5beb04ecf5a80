package io.flinkjobrunner.shacl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

import io.flinkjobrunner.rdf.RdfTerm;

/** Reads and writes {@link ShaclPath}s in RDF (SHACL 2.3.1). */
final class ShaclPaths {

    private static final ValueFactory VALUES = SimpleValueFactory.getInstance();

    private ShaclPaths() {
    }

    static ShaclPath read(Model model, Value node, Set<Resource> visiting) {
        if (node instanceof IRI iri) {
            return new ShaclPath.Predicate(iri.stringValue());
        }
        if (!(node instanceof BNode blank)) {
            throw new MalformedRdfException(RdfTerm.of(node),
                    "a path must be an IRI or a blank node (SHACL 2.3.1), found " + RdfTerm.of(node).toNTriples());
        }
        if (!visiting.add(blank)) {
            throw new MalformedRdfException(RdfTerm.of(node),
                    "the path refers back to itself (SHACL 2.3.1, syntax rule path-non-recursive)");
        }
        try {
            if (model.contains(blank, RDF.FIRST, null) || model.contains(blank, RDF.REST, null)) {
                return new ShaclPath.Sequence(members(model, blank, visiting, "a sequence path (SHACL 2.3.1.2)"));
            }
            List<Statement> statements = new ArrayList<>(model.filter(blank, null, null));
            if (statements.size() != 1) {
                throw new MalformedRdfException(RdfTerm.of(node), statements.isEmpty()
                        ? "a blank-node path needs one of sh:alternativePath, sh:inversePath, sh:zeroOrMorePath,"
                                + " sh:oneOrMorePath, sh:zeroOrOnePath, or must be a list (sequence path), but it"
                                + " has no properties (SHACL 2.3.1)"
                        : "a blank-node path has exactly one property (SHACL 2.3.1), found " + statements.size() + ": "
                                + statements.stream().map(s -> RdfTerm.of(s.getPredicate()).toNTriples()).sorted()
                                        .collect(Collectors.joining(", ")));
            }
            IRI operator = statements.get(0).getPredicate();
            Value inner = statements.get(0).getObject();
            if (SHACL.ALTERNATIVE_PATH.equals(operator)) {
                return new ShaclPath.Alternative(members(model, inner, visiting, "sh:alternativePath (SHACL 2.3.1.3)"));
            }
            if (SHACL.INVERSE_PATH.equals(operator)) {
                return new ShaclPath.Inverse(read(model, inner, visiting));
            }
            if (SHACL.ZERO_OR_MORE_PATH.equals(operator)) {
                return new ShaclPath.ZeroOrMore(read(model, inner, visiting));
            }
            if (SHACL.ONE_OR_MORE_PATH.equals(operator)) {
                return new ShaclPath.OneOrMore(read(model, inner, visiting));
            }
            if (SHACL.ZERO_OR_ONE_PATH.equals(operator)) {
                return new ShaclPath.ZeroOrOne(read(model, inner, visiting));
            }
            throw new MalformedRdfException(RdfTerm.of(node), "a blank-node path uses "
                    + RdfTerm.of(operator).toNTriples() + ", which is not a path operator; expected"
                    + " sh:alternativePath, sh:inversePath, sh:zeroOrMorePath, sh:oneOrMorePath or sh:zeroOrOnePath"
                    + " (SHACL 2.3.1)");
        } finally {
            visiting.remove(blank);
        }
    }

    private static List<ShaclPath> members(Model model, Value list, Set<Resource> visiting, String what) {
        List<Value> values;
        try {
            values = RdfLists.members(model, list);
        } catch (MalformedRdfException e) {
            throw new MalformedRdfException(e.node(), what + ": " + e.getMessage());
        }
        if (values.size() < 2) {
            throw new MalformedRdfException(RdfTerm.of(list),
                    what + " needs a list of at least two paths, found " + values.size());
        }
        List<ShaclPath> paths = new ArrayList<>();
        for (Value value : values) {
            paths.add(read(model, value, visiting));
        }
        return paths;
    }

    /** Writes {@code path} into {@code model} and returns its root: the IRI, or a fresh blank node. */
    static Value write(ShaclPath path, Model model) {
        if (path instanceof ShaclPath.Predicate predicate) {
            return VALUES.createIRI(predicate.iri());
        }
        BNode root = VALUES.createBNode();
        if (path instanceof ShaclPath.Sequence sequence) {
            writeList(sequence.paths(), root, model);
        } else if (path instanceof ShaclPath.Alternative alternative) {
            BNode list = VALUES.createBNode();
            writeList(alternative.paths(), list, model);
            model.add(root, SHACL.ALTERNATIVE_PATH, list);
        } else if (path instanceof ShaclPath.Inverse inverse) {
            model.add(root, SHACL.INVERSE_PATH, write(inverse.path(), model));
        } else if (path instanceof ShaclPath.ZeroOrMore zeroOrMore) {
            model.add(root, SHACL.ZERO_OR_MORE_PATH, write(zeroOrMore.path(), model));
        } else if (path instanceof ShaclPath.OneOrMore oneOrMore) {
            model.add(root, SHACL.ONE_OR_MORE_PATH, write(oneOrMore.path(), model));
        } else if (path instanceof ShaclPath.ZeroOrOne zeroOrOne) {
            model.add(root, SHACL.ZERO_OR_ONE_PATH, write(zeroOrOne.path(), model));
        }
        return root;
    }

    private static void writeList(List<ShaclPath> paths, BNode head, Model model) {
        Resource current = head;
        for (int i = 0; i < paths.size(); i++) {
            model.add(current, RDF.FIRST, write(paths.get(i), model));
            Resource next = i == paths.size() - 1 ? RDF.NIL : VALUES.createBNode();
            model.add(current, RDF.REST, next);
            current = next;
        }
    }
}
