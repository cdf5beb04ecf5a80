package io.flinkjobrunner.sparql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.eclipse.rdf4j.query.TupleQuery;
import org.eclipse.rdf4j.query.TupleQueryResult;
import org.eclipse.rdf4j.repository.RepositoryConnection;
import org.eclipse.rdf4j.repository.sail.SailRepository;
import org.eclipse.rdf4j.sail.memory.MemoryStore;

/**
 * Test oracle: evaluates each {@code sh:select} with RDF4J over the model as RDF plus the closed knowledge, with
 * {@code $this} pre-bound to every target entity (SHACL-SPARQL semantics), and lists the selected focus nodes as
 * {@code "<entity> <event>"}. The Flink alerts with a severity other than {@code ok} must be exactly these.
 */
final class RdfDifferentialCheck {

    private RdfDifferentialCheck() {
    }

    static Set<String> selectedFocusNodes(Model shapes, Model closedKnowledge, TestModels.Scenario scenario) {
        Set<String> selected = new TreeSet<>();
        SailRepository repository = new SailRepository(new MemoryStore());
        try (RepositoryConnection connection = repository.getConnection()) {
            connection.add(scenario.rdf());
            connection.add(closedKnowledge);
            for (Resource shape : shapes.filter(null, SHACL.SPARQL, null).subjects()) {
                List<String> targets = new ArrayList<>();
                for (Value tc : shapes.filter(shape, SHACL.TARGET_CLASS, null).objects()) {
                    targets.add(tc.stringValue());
                    closedKnowledge.filter(null, RDFS.SUBCLASSOF, (Resource) tc).subjects()
                            .forEach(s -> targets.add(s.stringValue()));
                }
                String event = SparqlShapeCompiler.CONSTRAINT_COMPONENT + "(" + SparqlShapeCompiler.shapeName(shape)
                        + ")";
                for (Value constraint : shapes.filter(shape, SHACL.SPARQL, null).objects()) {
                    if (!shapes.contains((Resource) constraint, SHACL.MESSAGE, null)) {
                        continue;
                    }
                    String select = shapes.filter((Resource) constraint, SHACL.SELECT, null).objects().stream()
                            .filter(Literal.class::isInstance).findFirst().orElseThrow().stringValue();
                    for (FlinkTestTables.Entity entity : scenario.entities()) {
                        if (!targets.contains(entity.type())) {
                            continue;
                        }
                        TupleQuery query = connection.prepareTupleQuery(select);
                        query.setBinding("this", Values.iri(entity.id()));
                        try (TupleQueryResult result = query.evaluate()) {
                            if (result.hasNext()) {
                                selected.add(entity.id() + " " + event);
                            }
                        }
                    }
                }
            }
        } finally {
            repository.shutDown();
        }
        return selected;
    }
}
