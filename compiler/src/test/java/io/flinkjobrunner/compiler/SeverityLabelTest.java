package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.junit.jupiter.api.Test;

/** The label of a severity, for constraint rows and SPARQL constraints alike. */
class SeverityLabelTest {

    private static final IRI CRITICAL = Values.iri("https://industry-fusion.org/base/v0.1/severityCritical");

    @Test
    void theKnowledgeLabelsFirstThenTheShapesElseWarning() {
        Model knowledge = new LinkedHashModel();
        Model shapes = new LinkedHashModel();
        assertEquals("warning", SeverityLabel.of(CRITICAL, knowledge, shapes));
        shapes.add(CRITICAL, RDFS.LABEL, Values.literal("from the shapes"));
        assertEquals("from the shapes", SeverityLabel.of(CRITICAL, knowledge, shapes));
        knowledge.add(CRITICAL, RDFS.LABEL, Values.literal("critical"));
        assertEquals("critical", SeverityLabel.of(CRITICAL, knowledge, shapes));
        assertEquals("warning", SeverityLabel.of(SHACL.VIOLATION, knowledge, shapes), "SHACL's own severities carry "
                + "no label here: the reference's default");
        assertEquals("minor", SeverityLabel.of(Values.literal("minor"), knowledge, shapes));
    }
}
