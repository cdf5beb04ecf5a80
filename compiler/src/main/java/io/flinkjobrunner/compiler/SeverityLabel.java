package io.flinkjobrunner.compiler;

import java.util.List;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.vocabulary.RDFS;

/**
 * The severity an alert carries for a shape's {@code sh:severity}, as the reference labels it: the severity's
 * {@code rdfs:label}, looked up in the knowledge first and then in the shapes; {@code warning} without one.
 */
public final class SeverityLabel {

    /** The label of a shape that names no severity, or one without a label (the reference's default). */
    public static final String DEFAULT = "warning";

    private SeverityLabel() {
    }

    /** The label of {@code severity} (an IRI; a literal, which the shapes-graph check refuses, is its own label). */
    public static String of(Value severity, Model knowledge, Model shapes) {
        if (severity instanceof Literal l) {
            return l.getLabel();
        }
        if (severity instanceof Resource r) {
            for (Model m : List.of(knowledge, shapes)) {
                for (Value label : m.filter(r, RDFS.LABEL, null).objects()) {
                    return label.stringValue();
                }
            }
        }
        return DEFAULT;
    }
}
