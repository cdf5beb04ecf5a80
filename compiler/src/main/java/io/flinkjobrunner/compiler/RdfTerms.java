package io.flinkjobrunner.compiler;

import java.math.BigDecimal;
import java.util.Set;
import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.vocabulary.XSD;

/**
 * The reference's term encoding in the {@code rdf} table (shacl2flink's {@code create_rdf_table.py}): an IRI is {@code <iri>}, a
 * blank node {@code _:id}, a numeric literal its bare number, any other literal its lexical form in double quotes
 * (datatype and language dropped). SQL that compares with {@code rdf} columns must use the same encoding.
 */
public final class RdfTerms {

    private static final Set<IRI> INTEGERS = Set.of(XSD.INTEGER, XSD.INT, XSD.LONG, XSD.SHORT, XSD.BYTE,
            XSD.NON_NEGATIVE_INTEGER, XSD.NON_POSITIVE_INTEGER, XSD.POSITIVE_INTEGER, XSD.NEGATIVE_INTEGER,
            XSD.UNSIGNED_INT, XSD.UNSIGNED_LONG, XSD.UNSIGNED_SHORT, XSD.UNSIGNED_BYTE);

    private RdfTerms() {
    }

    /** {@code value} as stored in the {@code rdf} table. */
    public static String encode(Value value) {
        if (value instanceof IRI iri) {
            return "<" + iri.stringValue() + ">";
        }
        if (value instanceof BNode b) {
            return "_:" + b.getID();
        }
        Literal l = (Literal) value;
        IRI dt = l.getDatatype();
        try {
            if (INTEGERS.contains(dt)) {
                return new BigDecimal(l.getLabel().trim()).toBigIntegerExact().toString();
            }
            if (dt.equals(XSD.DECIMAL)) {
                return new BigDecimal(l.getLabel().trim()).toString();
            }
            if (dt.equals(XSD.DOUBLE) || dt.equals(XSD.FLOAT)) {
                return pythonFloat(Double.parseDouble(l.getLabel().trim()));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // an ill-typed numeric literal keeps its lexical form, like any other literal
        }
        return "\"" + l.getLabel() + "\"";
    }

    /** Python's {@code str(float)}, which the reference's table contents were produced with. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String shortest = Double.toString(d);
        BigDecimal exact = new BigDecimal(shortest);
        double abs = Math.abs(d);
        if (abs != 0 && (abs >= 1e16 || abs < 1e-4)) {
            String unscaled = exact.unscaledValue().abs().toString().replaceAll("0+$", "");
            int exponent = unscaled.isEmpty() ? 0 : exact.precision() - exact.scale() - 1;
            String mantissa = unscaled.length() > 1 ? unscaled.charAt(0) + "." + unscaled.substring(1) : unscaled;
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }
        String plain = exact.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
