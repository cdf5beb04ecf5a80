package io.flinkjobrunner.compiler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.OWL;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;

/**
 * The reference's closure of the knowledge graph before it becomes the {@code rdf} table (REFERENCE-SHACL2FLINK.md
 * §2.4): reflexive and transitive {@code rdfs:subClassOf}, the closure of every {@code owl:TransitiveProperty}, and
 * {@code rdf:Bag} members as {@code rdfs:member} string literals. There is deliberately no {@code rdf:type}
 * inheritance: SPARQL constraints rely on exact types, as in the reference.
 */
public final class KnowledgeClosure {

    private static final ValueFactory VF = SimpleValueFactory.getInstance();

    private final Model closed;
    private final Map<Resource, Set<Resource>> subClasses = new HashMap<>();

    private KnowledgeClosure(Model closed) {
        this.closed = closed;
        for (Statement st : closed.filter(null, RDFS.SUBCLASSOF, null)) {
            if (st.getObject() instanceof Resource sup) {
                subClasses.computeIfAbsent(sup, k -> new LinkedHashSet<>()).add(st.getSubject());
            }
        }
    }

    /** Applies the closure rules to a copy of {@code knowledge}. */
    public static KnowledgeClosure of(Model knowledge) {
        Model m = new LinkedHashModel(knowledge);
        m.add(RDFS.SUBCLASSOF, RDF.TYPE, OWL.TRANSITIVEPROPERTY);
        List<Resource> reflexive = new ArrayList<>(m.filter(null, RDFS.SUBCLASSOF, null).subjects());
        reflexive.addAll(m.filter(null, RDF.TYPE, RDFS.CLASS).subjects());
        reflexive.addAll(m.filter(null, RDF.TYPE, OWL.CLASS).subjects());
        for (Resource c : reflexive) {
            m.add(c, RDFS.SUBCLASSOF, c);
        }
        for (Resource p : new ArrayList<>(m.filter(null, RDF.TYPE, OWL.TRANSITIVEPROPERTY).subjects())) {
            if (p instanceof IRI property) {
                transitive(m, property);
            }
        }
        for (Resource bag : new ArrayList<>(m.filter(null, RDF.TYPE, RDF.BAG).subjects())) {
            m.add(bag, RDF.TYPE, RDFS.CONTAINER);
            for (Statement st : new ArrayList<>(m.filter(bag, null, null))) {
                if (st.getPredicate().getNamespace().equals(RDF.NAMESPACE)
                        && st.getPredicate().getLocalName().matches("_[0-9]+")) {
                    Value member = VF.createLiteral(st.getObject().stringValue());
                    m.remove(st);
                    m.add(bag, st.getPredicate(), member);
                    m.add(bag, RDFS.MEMBER, member);
                }
            }
        }
        return new KnowledgeClosure(m);
    }

    private static void transitive(Model m, IRI p) {
        Map<Resource, List<Value>> edges = new HashMap<>();
        for (Statement st : m.filter(null, p, null)) {
            edges.computeIfAbsent(st.getSubject(), k -> new ArrayList<>()).add(st.getObject());
        }
        for (Resource start : edges.keySet()) {
            Set<Value> seen = new HashSet<>();
            Deque<Value> queue = new ArrayDeque<>(edges.get(start));
            while (!queue.isEmpty()) {
                Value next = queue.poll();
                if (seen.add(next)) {
                    m.add(start, p, next);
                    if (next instanceof Resource r && edges.containsKey(r)) {
                        queue.addAll(edges.get(r));
                    }
                }
            }
        }
    }

    /** The closed knowledge graph (the contents of the {@code rdf} table). */
    public Model model() {
        return closed;
    }

    /** {@code cls} and every class that is {@code rdfs:subClassOf*} it, {@code cls} first. */
    public Set<Resource> subClassesOf(Resource cls) {
        Set<Resource> result = new LinkedHashSet<>();
        result.add(cls);
        result.addAll(subClasses.getOrDefault(cls, Set.of()));
        return result;
    }
}
