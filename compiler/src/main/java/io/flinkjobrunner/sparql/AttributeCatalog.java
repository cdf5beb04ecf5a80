package io.flinkjobrunner.sparql;

import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.util.RDFCollections;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

/**
 * The NGSI-LD attributes declared by the property shapes: which attribute IRIs are properties (and whether their
 * value is an IRI, from the inner {@code sh:nodeKind}) and which are relationships. The translator uses it to tell
 * NGSI-LD attributes from plain knowledge triples and to encode attribute values for comparisons; rules use it for
 * the nodeType of inferred attributes.
 */
public final class AttributeCatalog {

    /** The NGSI-LD vocabulary namespace. */

    /** Kind of value an NGSI-LD property holds. */
    public enum ValueKind { IRI, LITERAL, UNKNOWN }

    private final Map<String, ValueKind> properties;
    private final Set<String> relationships;

    AttributeCatalog(Map<String, ValueKind> properties, Set<String> relationships) {
        this.properties = Map.copyOf(properties);
        this.relationships = Set.copyOf(relationships);
    }

    /** Reads the attribute declarations from a shapes graph (raw or normalized: sh:or branches are followed). */
    public static AttributeCatalog of(Model shapes) {
        Map<String, ValueKind> properties = new HashMap<>();
        Set<String> relationships = new HashSet<>();
        for (Resource shape : shapes.filter(null, SHACL.PROPERTY, null).subjects()) {
            for (Value outer : shapes.filter(shape, SHACL.PROPERTY, null).objects()) {
                if (!(outer instanceof Resource outerShape)) {
                    continue;
                }
                Optional<IRI> path = iriObject(shapes, outerShape, SHACL.PATH);
                if (path.isEmpty() || path.get().stringValue().startsWith(NgsiLdVocabulary.NAMESPACE)) {
                    continue;
                }
                for (Resource clause : clauses(shapes, outerShape)) {
                    for (Value inner : shapes.filter(clause, SHACL.PROPERTY, null).objects()) {
                        if (inner instanceof Resource innerShape) {
                            declare(shapes, path.get().stringValue(), innerShape, properties, relationships);
                        }
                    }
                }
            }
        }
        return new AttributeCatalog(properties, relationships);
    }

    private static void declare(Model shapes, String attribute, Resource inner, Map<String, ValueKind> properties,
            Set<String> relationships) {
        Optional<IRI> innerPath = iriObject(shapes, inner, SHACL.PATH);
        if (innerPath.isEmpty()) {
            return;
        }
        String p = innerPath.get().stringValue();
        if (p.equals(NgsiLdVocabulary.HAS_OBJECT)) {
            relationships.add(attribute);
        } else if (p.equals(NgsiLdVocabulary.HAS_VALUE) || p.equals(NgsiLdVocabulary.HAS_VALUE_LIST)
                || p.equals(NgsiLdVocabulary.HAS_JSON)) {
            ValueKind kind = ValueKind.UNKNOWN;
            for (Resource clause : clauses(shapes, inner)) {
                Optional<IRI> nodeKind = iriObject(shapes, clause, SHACL.NODE_KIND_PROP);
                if (nodeKind.isPresent()) {
                    kind = nodeKind.get().equals(SHACL.IRI) ? ValueKind.IRI : ValueKind.LITERAL;
                }
            }
            ValueKind known = properties.get(attribute);
            properties.put(attribute, known == null || known == ValueKind.UNKNOWN ? kind : known);
        }
    }

    /** The node itself plus every branch of its sh:or lists (recursively), as normalization produces them. */
    private static Set<Resource> clauses(Model shapes, Resource node) {
        Set<Resource> result = new HashSet<>();
        Deque<Resource> todo = new ArrayDeque<>();
        todo.add(node);
        while (!todo.isEmpty()) {
            Resource current = todo.pop();
            if (!result.add(current)) {
                continue;
            }
            for (Value list : shapes.filter(current, SHACL.OR, null).objects()) {
                if (list instanceof Resource head) {
                    for (Value member : RDFCollections.asValues(shapes, head, new java.util.ArrayList<>())) {
                        if (member instanceof Resource r) {
                            todo.add(r);
                        }
                    }
                }
            }
        }
        return result;
    }

    private static Optional<IRI> iriObject(Model model, Resource subject, IRI predicate) {
        return model.filter(subject, predicate, null).objects().stream()
                .filter(IRI.class::isInstance).map(IRI.class::cast).findFirst();
    }

    /** Whether {@code iri} is declared as an NGSI-LD property. */
    public boolean isProperty(String iri) {
        return properties.containsKey(iri);
    }

    /** Whether {@code iri} is declared as an NGSI-LD relationship. */
    public boolean isRelationship(String iri) {
        return relationships.contains(iri);
    }

    /** The declared value kind of property {@code iri} ({@link ValueKind#UNKNOWN} when undeclared). */
    public ValueKind valueKind(String iri) {
        return properties.getOrDefault(iri, ValueKind.UNKNOWN);
    }
}
