package io.flinkjobrunner.sparql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prints rows the way the reference's tests do ({@code sqlite3 -quote -noheader} over columns declared STRING):
 * text in single quotes with quotes doubled, NULL as {@code NULL}, and numeric-looking text unquoted because
 * sqlite's NUMERIC affinity stores it as a number ({@code '20'} prints {@code 20}, {@code '8000.0'} prints
 * {@code 8000}, {@code '0.5'} prints {@code 0.5}).
 */
public final class SqliteQuoteFormat {

    /** The rule-output columns in the order of the reference's kms-rules query. */
    public static final List<String> ATTRIBUTE_INSERT_COLUMNS = List.of("entityId", "name", "nodeType", "valueType",
            "datasetId", "type", "attributeValue");

    private static final Pattern INTEGER = Pattern.compile("\\s*[+-]?\\d+\\s*");
    private static final Pattern REAL = Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*");
    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private SqliteQuoteFormat() {
    }

    /** One output line for {@code values} stored in NUMERIC-affinity columns. */
    public static String line(List<String> values) {
        List<String> fields = new ArrayList<>();
        for (String value : values) {
            fields.add(field(value));
        }
        return String.join(",", fields);
    }

    /** One field: NULL, a number (NUMERIC affinity) or quoted text. */
    public static String field(String value) {
        if (value == null) {
            return "NULL";
        }
        if (INTEGER.matcher(value).matches()) {
            BigInteger integer = new BigInteger(value.strip());
            if (integer.compareTo(MIN_LONG) >= 0 && integer.compareTo(MAX_LONG) <= 0) {
                return integer.toString();
            }
            return real(new BigDecimal(integer).doubleValue());
        }
        if (REAL.matcher(value).matches()) {
            double d = Double.parseDouble(value.strip());
            if (d == Math.rint(d) && Math.abs(d) < 9.223372036854775807E18) {
                return Long.toString((long) d);
            }
            return real(d);
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /** sqlite's {@code %!.15g}: 15 significant digits, at least one digit after the point. */
    private static String real(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "Inf" : "-Inf";
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(15)).stripTrailingZeros();
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 15) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String m = mantissa.toPlainString();
            if (!m.contains(".")) {
                m = m + ".0";
            }
            return m + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = rounded.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
