package io.flinkjobrunner.authoring;

import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

import org.eclipse.rdf4j.common.net.ParsedIRI;
import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
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

/**
 * Builds the SHACL shape for an {@link AlertCondition} as an RDF4J model and writes it with Rio, so no input is ever
 * spliced into Turtle text: a sensor name, unit or type cannot inject triples.
 *
 * <p>The shape has the reference's layout: {@code if:<Type>AlertShape} targets the entity type, a property shape on
 * {@code if:<sensor>} nests one on {@code ngsi-ld:hasValue} that carries the constraint, {@code sh:severity
 * sh:Violation} and {@code sh:message "<Sensor> <op> <threshold><unit>"}. The data conforms while the alert condition
 * is false, so a validation result is the alert:
 * <pre>
 *  alert when   constraint              conforms when
 *  v &gt;  t       sh:maxInclusive t        v &lt;= t
 *  v &gt;= t       sh:maxExclusive t        v &lt;  t
 *  v &lt;  t       sh:minInclusive t        v &gt;= t
 *  v &lt;= t       sh:minExclusive t        v &gt;  t
 *  v == t       sh:or ([sh:maxExclusive t] [sh:minExclusive t])   v != t
 * </pre>
 * The reference used {@code sh:hasValue t} for {@code ==}, which fires for every value except t, the opposite of the
 * request; {@code sh:or} compares numerically, so {@code 75} equals {@code 75.0}.
 */
public final class AlertShapeGenerator {

    /** The reference's {@code if:} namespace for attributes and shape names. */
    public static final String IFF = "https://industry-fusion.org/base/v0.1/";
    /** The NGSI-LD core namespace. */

    private static final ValueFactory VALUES = SimpleValueFactory.getInstance();
    private static final IRI HAS_VALUE = VALUES.createIRI(NgsiLdVocabulary.NAMESPACE, "hasValue");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");

    /** A generated shape: its IRI, the model and its Turtle. */
    public record GeneratedShape(String shapeIri, Model model, String turtle) {
    }

    private AlertShapeGenerator() {
    }

    /**
     * The shape for {@code condition} targeting entities of type {@code entityType} (an absolute IRI).
     *
     * @throws AuthoringException if the sensor is neither an attribute name nor an absolute IRI
     */
    public static GeneratedShape generate(AlertCondition condition, String entityType) throws AuthoringException {
        IRI type = absoluteIri(entityType, "the entity type");
        IRI sensor = sensorPath(condition.sensor());
        IRI shape = VALUES.createIRI(IFF, AlertCondition.capitalize(localName(type)) + "AlertShape");
        Model model = new LinkedHashModel();
        model.setNamespace("if", IFF);
        model.setNamespace("ngsi-ld", NgsiLdVocabulary.NAMESPACE);
        model.setNamespace(SHACL.NS);
        model.setNamespace(XSD.NS);
        model.add(shape, RDF.TYPE, SHACL.NODE_SHAPE);
        model.add(shape, SHACL.TARGET_CLASS, type);
        BNode attribute = VALUES.createBNode();
        model.add(shape, SHACL.PROPERTY, attribute);
        model.add(attribute, SHACL.PATH, sensor);
        BNode value = VALUES.createBNode();
        model.add(attribute, SHACL.PROPERTY, value);
        model.add(value, SHACL.PATH, HAS_VALUE);
        Literal threshold = VALUES.createLiteral(decimal(condition.threshold()), XSD.DECIMAL);
        switch (condition.operator()) {
            case GREATER -> model.add(value, SHACL.MAX_INCLUSIVE, threshold);
            case GREATER_OR_EQUAL -> model.add(value, SHACL.MAX_EXCLUSIVE, threshold);
            case LESS -> model.add(value, SHACL.MIN_INCLUSIVE, threshold);
            case LESS_OR_EQUAL -> model.add(value, SHACL.MIN_EXCLUSIVE, threshold);
            case EQUAL -> {
                BNode below = VALUES.createBNode();
                BNode above = VALUES.createBNode();
                model.add(below, SHACL.MAX_EXCLUSIVE, threshold);
                model.add(above, SHACL.MIN_EXCLUSIVE, threshold);
                BNode list = VALUES.createBNode();
                BNode rest = VALUES.createBNode();
                model.add(list, RDF.FIRST, below);
                model.add(list, RDF.REST, rest);
                model.add(rest, RDF.FIRST, above);
                model.add(rest, RDF.REST, RDF.NIL);
                model.add(value, SHACL.OR, list);
            }
        }
        model.add(value, SHACL.SEVERITY_PROP, SHACL.VIOLATION);
        model.add(value, SHACL.MESSAGE, VALUES.createLiteral(condition.describe()));
        StringWriter turtle = new StringWriter();
        Rio.write(model, turtle, RDFFormat.TURTLE, new WriterConfig()
                .set(BasicWriterSettings.PRETTY_PRINT, true)
                .set(BasicWriterSettings.INLINE_BLANK_NODES, true));
        return new GeneratedShape(shape.stringValue(), model, turtle.toString());
    }

    /** {@code temperature} becomes {@code if:temperature}; an absolute IRI is used as it is. */
    public static IRI sensorPath(String sensor) throws AuthoringException {
        if (ATTRIBUTE_NAME.matcher(sensor).matches()) {
            return VALUES.createIRI(IFF, sensor);
        }
        if (sensor.contains(":")) {
            return absoluteIri(sensor, "the sensor");
        }
        throw new AuthoringException(AuthoringException.Reason.INVALID_CONDITION, "the sensor '" + shorten(sensor)
                + "' is neither an attribute name (letters, digits, _ - .) nor an absolute IRI");
    }

    private static IRI absoluteIri(String text, String what) throws AuthoringException {
        try {
            ParsedIRI parsed = new ParsedIRI(text);
            if (parsed.isAbsolute() && !text.isBlank() && text.chars().noneMatch(c -> c <= ' ' || c == '<'
                    || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '\\' || c == '^'
                    || c == '`')) {
                return VALUES.createIRI(parsed.toString());
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new AuthoringException(AuthoringException.Reason.INVALID_CONDITION, what + " '" + shorten(text)
                + "' is not an absolute IRI");
    }

    /** The last segment of an IRI, reduced to characters that make a readable shape name. */
    private static String localName(IRI type) {
        String value = type.stringValue();
        int cut = Math.max(value.lastIndexOf('/'), Math.max(value.lastIndexOf('#'), value.lastIndexOf(':')));
        String local = value.substring(cut + 1).replaceAll("[^A-Za-z0-9_-]", "_");
        return local.isEmpty() ? "Asset" : local;
    }

    /** The threshold as an xsd:decimal lexical form with a fractional digit ({@code 75.0}), as the reference wrote. */
    static String decimal(double threshold) {
        BigDecimal value = new BigDecimal(Double.toString(threshold)).stripTrailingZeros();
        String plain = value.scale() < 1 ? value.setScale(1).toPlainString() : value.toPlainString();
        return plain.toLowerCase(Locale.ROOT);
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
