package io.flinkjobrunner.shacl;

import java.io.StringWriter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.eclipse.rdf4j.model.vocabulary.XSD;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;
import org.eclipse.rdf4j.rio.WriterConfig;
import org.eclipse.rdf4j.rio.helpers.BasicWriterSettings;

/** Renders a {@link ValidationReport} as a SHACL report graph in Turtle and as a short text summary. */
final class ValidationReportWriter {

    /** Report properties SHACL has no term for (truncation, the root node, gaps in coverage). */
    static final String NS = "https://flinkjobrunner.io/ns/validation#";

    private static final ValueFactory VALUES = SimpleValueFactory.getInstance();
    private static final IRI TRUNCATED = VALUES.createIRI(NS, "truncated");
    private static final IRI ROOT_NODE = VALUES.createIRI(NS, "rootNode");
    private static final IRI SOURCE_SHAPE_LABEL = VALUES.createIRI(NS, "sourceShapeLabel");
    private static final IRI NOT_VALIDATED = VALUES.createIRI(NS, "notValidated");
    private static final IRI SHAPE = VALUES.createIRI(NS, "shape");
    private static final IRI FEATURE = VALUES.createIRI(NS, "feature");
    private static final IRI REASON = VALUES.createIRI(NS, "reason");

    private ValidationReportWriter() {
    }

    static String turtle(ValidationReport report) {
        Model model = new LinkedHashModel();
        model.setNamespace(SHACL.NS);
        model.setNamespace(XSD.NS);
        model.setNamespace("fjrv", NS);
        BNode root = VALUES.createBNode();
        model.add(root, RDF.TYPE, SHACL.VALIDATION_REPORT);
        model.add(root, SHACL.CONFORMS, VALUES.createLiteral(report.conforms()));
        model.add(root, TRUNCATED, VALUES.createLiteral(report.truncated()));
        for (ValidationResult result : report.results()) {
            BNode node = VALUES.createBNode();
            model.add(root, SHACL.RESULT, node);
            model.add(node, RDF.TYPE, SHACL.VALIDATION_RESULT);
            model.add(node, SHACL.FOCUS_NODE, result.focusNode().toValue());
            model.add(node, ROOT_NODE, result.rootNode().toValue());
            if (result.resultPath() != null) {
                model.add(node, SHACL.RESULT_PATH, ShaclPaths.write(result.resultPath(), model));
            }
            if (result.value() != null) {
                model.add(node, SHACL.VALUE, result.value().toValue());
            }
            model.add(node, SHACL.SOURCE_CONSTRAINT_COMPONENT,
                    VALUES.createIRI(result.sourceConstraintComponent()));
            model.add(node, SHACL.SOURCE_SHAPE, (Resource) result.sourceShape().toValue());
            model.add(node, SOURCE_SHAPE_LABEL, VALUES.createLiteral(result.sourceShapeLabel()));
            model.add(node, SHACL.RESULT_SEVERITY, VALUES.createIRI(result.severity()));
            model.add(node, SHACL.RESULT_MESSAGE, VALUES.createLiteral(result.message()));
        }
        for (NotValidated gap : report.notValidated()) {
            BNode node = VALUES.createBNode();
            model.add(root, NOT_VALIDATED, node);
            model.add(node, SHAPE, VALUES.createLiteral(gap.shape()));
            model.add(node, FEATURE, VALUES.createLiteral(gap.feature()));
            model.add(node, REASON, VALUES.createLiteral(gap.reason()));
        }
        StringWriter out = new StringWriter();
        Rio.write(model, out, RDFFormat.TURTLE, new WriterConfig()
                .set(BasicWriterSettings.PRETTY_PRINT, true)
                .set(BasicWriterSettings.INLINE_BLANK_NODES, true));
        return out.toString();
    }

    static String summary(ValidationReport report, int maxLines) {
        StringBuilder text = new StringBuilder();
        if (report.conforms()) {
            text.append("Conforms: no validation results.");
        } else {
            Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
            report.results().forEach(r -> counts.merge(r.level(), 1, Integer::sum));
            long roots = report.results().stream().map(ValidationResult::rootNode).distinct().count();
            text.append("Does not conform: ").append(report.results().size()).append(report.results().size() == 1
                    ? " result" : " results").append(" (");
            String separator = "";
            for (Map.Entry<Severity, Integer> count : counts.entrySet()) {
                text.append(separator).append(count.getValue()).append(' ')
                        .append(count.getKey().name().toLowerCase(Locale.ROOT))
                        .append(count.getValue() == 1 ? "" : "s");
                separator = ", ";
            }
            text.append(") on ").append(roots).append(roots == 1 ? " node." : " nodes.");
            report.results().stream().limit(maxLines).forEach(r -> text.append("\n  ")
                    .append(r.level().name().toLowerCase(Locale.ROOT)).append(' ').append(r.rootNode().value())
                    .append(r.resultPath() == null ? "" : " " + r.resultPath().toJson()).append(": ")
                    .append(r.message()));
            if (report.results().size() > maxLines) {
                text.append("\n  ... and ").append(report.results().size() - maxLines).append(" more");
            }
        }
        if (report.truncated()) {
            text.append("\nTruncated: the engine stopped collecting results at ")
                    .append(report.limits().maxResultsPerConstraint()).append(" per constraint / ")
                    .append(report.limits().maxResultsTotal())
                    .append(" in total, so more results exist; raise the result limits to see them all.");
        }
        for (NotValidated gap : report.notValidated()) {
            text.append("\nNot validated: ").append(gap.shape()).append(" uses ").append(gap.feature()).append(": ")
                    .append(gap.reason());
        }
        return text.toString();
    }
}
