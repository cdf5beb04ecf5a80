package io.flinkjobrunner.shacl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

import io.flinkjobrunner.rdf.RdfDocument;

/**
 * The shapes of a shapes graph (SHACL 2.1: typed shapes, subjects of targets and constraint parameters, values of
 * shape-valued parameters, members of sh:and/sh:or/sh:xone) and how they reference each other, plus human-readable
 * labels: an anonymous property shape is shown as {@code ex:CutterShape / sh:property [sh:path ex:state]} rather
 * than as a blank node id.
 */
final class ShapeGraph {

    /** {@code parent --predicate--> child}; {@code index} is the 1-based list position for sh:and/sh:or/sh:xone. */
    record Edge(Resource parent, IRI predicate, int index, Resource child) {
    }


    private final Model model;
    private final TermNames names;
    private final RdfDocument document;
    private final Set<Resource> shapes = new LinkedHashSet<>();
    private final List<Edge> edges = new ArrayList<>();
    private final Map<Resource, List<Edge>> parents = new HashMap<>();

    ShapeGraph(RdfDocument document) {
        this.document = document;
        this.model = document.model();
        this.names = new TermNames(model.getNamespaces());
        Set<Resource> shapeClasses = subclassesOf(Set.of(SHACL.NODE_SHAPE, SHACL.PROPERTY_SHAPE));
        for (Statement type : model.filter(null, RDF.TYPE, null)) {
            if (shapeClasses.contains(type.getObject())) {
                shapes.add(type.getSubject());
            }
        }
        for (IRI predicate : ShaclTerms.TARGETS) {
            shapes.addAll(model.filter(null, predicate, null).subjects());
        }
        for (IRI predicate : ShaclTerms.CONSTRAINT_PARAMETERS) {
            shapes.addAll(model.filter(null, predicate, null).subjects());
        }
        for (IRI predicate : ShaclTerms.SHAPE_VALUED) {
            for (Statement statement : model.filter(null, predicate, null)) {
                if (statement.getObject() instanceof Resource child) {
                    shapes.add(child);
                    addEdge(new Edge(statement.getSubject(), predicate, 0, child));
                }
            }
        }
        for (IRI predicate : ShaclTerms.SHAPE_LISTS) {
            for (Statement statement : model.filter(null, predicate, null)) {
                List<Value> members;
                try {
                    members = RdfLists.members(model, statement.getObject());
                } catch (MalformedRdfException e) {
                    continue; // reported by the list check
                }
                for (int i = 0; i < members.size(); i++) {
                    if (members.get(i) instanceof Resource member) {
                        shapes.add(member);
                        addEdge(new Edge(statement.getSubject(), predicate, i + 1, member));
                    }
                }
            }
        }
    }

    private void addEdge(Edge edge) {
        edges.add(edge);
        parents.computeIfAbsent(edge.child(), k -> new ArrayList<>()).add(edge);
    }

    private Set<Resource> subclassesOf(Set<IRI> roots) {
        Set<Resource> classes = new HashSet<>(roots);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Statement statement : model.filter(null, RDFS.SUBCLASSOF, null)) {
                if (classes.contains(statement.getObject()) && classes.add(statement.getSubject())) {
                    grew = true;
                }
            }
        }
        return classes;
    }

    Model model() {
        return model;
    }

    Set<Resource> shapes() {
        return shapes;
    }

    List<Edge> edges() {
        return edges;
    }

    List<Edge> parentsOf(Resource child) {
        return parents.getOrDefault(child, List.of());
    }

    /** A compact name: {@code prefix:local} with the document's (or well-known) prefixes, else {@code <iri>}. */
    String name(Value value) {
        return names.name(value);
    }

    /** A value as written in Turtle: prefixed IRIs, bare numbers and booleans, prefixed datatypes. */
    String display(Value value) {
        return names.display(value);
    }

    /** A readable label for a shape or any node of the shapes graph. */
    String label(Value node) {
        return label(node, new HashSet<>());
    }

    private String label(Value node, Set<Value> seen) {
        if (!(node instanceof Resource resource) || resource instanceof IRI || !seen.add(node)) {
            return name(node);
        }
        String self = describeBlank(resource);
        List<Edge> incoming = parentsOf(resource);
        if (incoming.isEmpty()) {
            // Not a nested shape (e.g. an sh:sparql constraint or a list node): name it by whatever points at it.
            Optional<Statement> referrer = model.filter(null, null, resource).stream()
                    .min(java.util.Comparator.comparing((Statement st) -> st.getPredicate().stringValue()));
            return referrer.map(st -> label(st.getSubject(), seen) + " / " + name(st.getPredicate())
                    + (self.equals("[ ]") ? "" : " " + self)).orElse(self);
        }
        Edge edge = incoming.get(0);
        String via = edge.index() > 0 ? name(edge.predicate()) + "[" + edge.index() + "]" : name(edge.predicate());
        return label(edge.parent(), seen) + " / " + via + (self.equals("[ ]") ? "" : " " + self);
    }

    private String describeBlank(Resource blank) {
        Set<Value> paths = model.filter(blank, SHACL.PATH, null).objects();
        if (paths.size() == 1) {
            Value path = paths.iterator().next();
            String shown = path instanceof Resource ? pathText(path) : display(path);
            return "[sh:path " + shown + "]";
        }
        return "[ ]";
    }

    private String pathText(Value path) {
        if (path instanceof IRI) {
            return name(path);
        }
        try {
            return ShaclPath.fromRdf(model, path).toSparql();
        } catch (MalformedRdfException e) {
            return "(malformed path)";
        }
    }

    /**
     * Where {@code node} is written: its own position, or that of the nearest shape that references it, as
     * {@code file:line:column}; just the file name if neither is known.
     */
    String locate(Value node) {
        Set<Value> seen = new HashSet<>();
        Value current = node;
        while (current instanceof Resource resource && seen.add(current)) {
            if (document.positionOf(resource).isPresent()) {
                return document.locate(resource);
            }
            List<Edge> incoming = parentsOf(resource);
            if (incoming.isEmpty()) {
                break;
            }
            current = incoming.get(0).parent();
        }
        return document.fileName();
    }
}
