package io.flinkjobrunner.compiler;

import io.flinkjobrunner.memory.HeapGuard;
import io.flinkjobrunner.rdf.CompactModel;
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
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.OWL;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;

/**
 * The reference's closure of the knowledge graph before it becomes the {@code rdf} table (shacl2flink's
 * {@code create_rdf_table.py}): reflexive and transitive {@code rdfs:subClassOf}, the closure of every {@code owl:TransitiveProperty}, and
 * {@code rdf:Bag} members as {@code rdfs:member} string literals. There is deliberately no {@code rdf:type}
 * inheritance: SPARQL constraints rely on exact types, as in the reference.
 */
public final class KnowledgeClosure {

    private static final ValueFactory VF = SimpleValueFactory.getInstance();

    private final Model knowledge;
    private final Set<Statement> added;
    private final Set<Statement> removed;
    private Map<Resource, Set<Resource>> subClasses;
    private Model closed;

    private KnowledgeClosure(Model knowledge, Set<Statement> added, Set<Statement> removed) {
        this.knowledge = knowledge;
        this.added = added;
        this.removed = removed;
    }

    /**
     * Applies the closure rules to {@code knowledge}, which is not modified. Only the inferred and rewritten
     * statements are stored, in a plain insertion-ordered set (an RDF4J model indexes every statement four ways, which
     * for the hundreds of thousands of transitive subclass statements of a deep class tree cost more than the closure
     * itself); the knowledge itself is not copied (large graphs stay within a small heap).
     */
    public static KnowledgeClosure of(Model knowledge) {
        Set<Statement> added = new LinkedHashSet<>();
        Set<Statement> removed = new HashSet<>();
        add(knowledge, added, VF.createStatement(RDFS.SUBCLASSOF, RDF.TYPE, OWL.TRANSITIVEPROPERTY));
        List<Resource> reflexive = new ArrayList<>(knowledge.filter(null, RDFS.SUBCLASSOF, null).subjects());
        reflexive.addAll(knowledge.filter(null, RDF.TYPE, RDFS.CLASS).subjects());
        reflexive.addAll(knowledge.filter(null, RDF.TYPE, OWL.CLASS).subjects());
        for (Resource c : reflexive) {
            add(knowledge, added, VF.createStatement(c, RDFS.SUBCLASSOF, c));
        }
        Set<Resource> transitiveProperties = new LinkedHashSet<>(knowledge.filter(null, RDF.TYPE, OWL.TRANSITIVEPROPERTY)
                .subjects());
        transitiveProperties.add(RDFS.SUBCLASSOF);
        for (Resource p : transitiveProperties) {
            if (p instanceof IRI property) {
                transitive(knowledge, added, property);
            }
        }
        for (Resource bag : new ArrayList<>(knowledge.filter(null, RDF.TYPE, RDF.BAG).subjects())) {
            add(knowledge, added, VF.createStatement(bag, RDF.TYPE, RDFS.CONTAINER));
            for (Statement st : knowledge.filter(bag, null, null)) {
                if (st.getPredicate().getNamespace().equals(RDF.NAMESPACE)
                        && st.getPredicate().getLocalName().matches("_[0-9]+")) {
                    Value member = VF.createLiteral(st.getObject().stringValue());
                    if (!member.equals(st.getObject())) {
                        removed.add(st);
                        add(knowledge, added, VF.createStatement(bag, st.getPredicate(), member));
                    }
                    add(knowledge, added, VF.createStatement(bag, RDFS.MEMBER, member));
                }
            }
        }
        return new KnowledgeClosure(knowledge, added, removed);
    }

    private static void add(Model knowledge, Set<Statement> added, Statement st) {
        HeapGuard.check();
        if (!knowledge.contains(st.getSubject(), st.getPredicate(), st.getObject())) {
            added.add(st);
        }
    }

    private static void transitive(Model knowledge, Set<Statement> added, IRI p) {
        Map<Resource, List<Value>> edges = new HashMap<>();
        for (Statement st : knowledge.filter(null, p, null)) {
            edges.computeIfAbsent(st.getSubject(), k -> new ArrayList<>()).add(st.getObject());
        }
        for (Statement st : added) {
            if (st.getPredicate().equals(p)) {
                edges.computeIfAbsent(st.getSubject(), k -> new ArrayList<>()).add(st.getObject());
            }
        }
        for (Resource start : edges.keySet()) {
            Set<Value> seen = new HashSet<>();
            Deque<Value> queue = new ArrayDeque<>(edges.get(start));
            while (!queue.isEmpty()) {
                Value next = queue.poll();
                if (seen.add(next)) {
                    add(knowledge, added, VF.createStatement(start, p, next));
                    if (next instanceof Resource r && edges.containsKey(r)) {
                        queue.addAll(edges.get(r));
                    }
                }
            }
        }
    }

    /** The statements of the closed graph: the knowledge (minus rewritten Bag members), then the inferred ones. */
    public Iterable<Statement> statements() {
        return () -> java.util.stream.Stream.concat(
                knowledge.stream().filter(st -> removed.isEmpty() || !removed.contains(st)), added.stream()).iterator();
    }

    /** The closed knowledge graph (the contents of the {@code rdf} table), materialized on first use. */
    public synchronized Model model() {
        if (closed == null) {
            // the closure of a large knowledge graph: a compact model, indexed only where the SPARQL translator filters
            Model m = new CompactModel(knowledge.size() + added.size());
            statements().forEach(m::add);
            closed = m;
        }
        return closed;
    }

    /** {@code cls} and every class that is {@code rdfs:subClassOf*} it, {@code cls} first. */
    public synchronized Set<Resource> subClassesOf(Resource cls) {
        if (subClasses == null) {
            Map<Resource, Set<Resource>> map = new HashMap<>();
            for (Statement st : statements()) {
                if (st.getPredicate().equals(RDFS.SUBCLASSOF) && st.getObject() instanceof Resource sup) {
                    map.computeIfAbsent(sup, k -> new LinkedHashSet<>()).add(st.getSubject());
                }
            }
            subClasses = map;
        }
        Set<Resource> result = new LinkedHashSet<>();
        result.add(cls);
        result.addAll(subClasses.getOrDefault(cls, Set.of()));
        return result;
    }
}
