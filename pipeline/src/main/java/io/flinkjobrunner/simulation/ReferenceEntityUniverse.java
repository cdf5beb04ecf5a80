package io.flinkjobrunner.simulation;

import io.flinkjobrunner.compiler.KnowledgeClosure;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

/**
 * The entity types the reference's test harness feeds into a validation (shacl2flink's {@code create_ngsild_models.py} run by {@code tests/sql-tests/tests.sh}): a
 * type is fed when it is {@code rdfs:subClassOf*} the {@code sh:targetClass} of a NodeShape that has at least one
 * {@code sh:property}. Entities of any other type do not exist for that harness, so a relationship pointing at one is
 * dangling and a SPARQL pattern never matches it.
 *
 * <p>The restriction only reproduces the reference's expectations, so it applies only to shapes the reference could
 * express ({@link #restricts}): shapes that reach other entities or target nodes by id or predicate are validated
 * against every entity of the model, as SHACL validates the whole data graph.
 */
public final class ReferenceEntityUniverse {

    private ReferenceEntityUniverse() {
    }

    private static final Set<String> VALUE_KEYS = Set.of("https://uri.etsi.org/ngsi-ld/hasValue",
            "https://uri.etsi.org/ngsi-ld/hasObject", "https://uri.etsi.org/ngsi-ld/hasValueList",
            "https://uri.etsi.org/ngsi-ld/hasJSON");

    /**
     * Whether feeding only the universe's entities is faithful for these shapes: false when a shape targets nodes by
     * id or predicate ({@code sh:targetNode}, {@code sh:targetSubjectsOf}, {@code sh:targetObjectsOf}) or reaches
     * beyond an entity's own attributes ({@code sh:node}, a path that is not a plain predicate, a shape nested in a
     * value shape), because then the entities of other types matter to the verdicts.
     */
    public static boolean restricts(Model shapes) {
        for (var target : java.util.List.of(SHACL.TARGET_NODE, SHACL.TARGET_SUBJECTS_OF, SHACL.TARGET_OBJECTS_OF,
                SHACL.NODE)) {
            if (shapes.contains(null, target, null)) {
                return false;
            }
        }
        for (Statement path : shapes.filter(null, SHACL.PATH, null)) {
            if (!path.getObject().isIRI()) {
                return false;
            }
            if (VALUE_KEYS.contains(path.getObject().stringValue())
                    && shapes.contains(path.getSubject(), SHACL.PROPERTY, null)) {
                return false;
            }
        }
        return true;
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
