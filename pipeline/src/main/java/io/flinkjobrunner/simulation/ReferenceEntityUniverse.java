package io.flinkjobrunner.simulation;

import io.flinkjobrunner.compiler.KnowledgeClosure;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

/**
 * The entity types the reference's test harness feeds into a validation (shacl2flink's {@code create_ngsild_models.py} run by {@code tests/sql-tests/tests.sh}): a
 * type is fed when it is {@code rdfs:subClassOf*} the {@code sh:targetClass} of a NodeShape that has at least one
 * {@code sh:property}. Entities of any other type do not exist for that harness, so a relationship pointing at one is
 * dangling and a SPARQL pattern never matches it.
 */
public final class ReferenceEntityUniverse {

    private ReferenceEntityUniverse() {
    }

    /** The expanded type IRIs of the universe; subclass edges come from the knowledge and the shapes graph. */
    public static Set<String> of(Model knowledge, Model shapes) {
        Model graph = new LinkedHashModel(knowledge);
        graph.addAll(shapes);
        KnowledgeClosure closure = KnowledgeClosure.of(graph);
        Set<String> types = new LinkedHashSet<>();
        for (Resource shape : shapes.filter(null, SHACL.PROPERTY, null).subjects()) {
            for (Value targetClass : shapes.filter(shape, SHACL.TARGET_CLASS, null).objects()) {
                if (targetClass instanceof Resource resource) {
                    closure.subClassesOf(resource).forEach(type -> types.add(type.stringValue()));
                }
            }
        }
        return types;
    }
}
