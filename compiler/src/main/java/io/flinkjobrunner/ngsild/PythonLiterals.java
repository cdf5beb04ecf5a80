package io.flinkjobrunner.ngsild;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders values exactly as the reference (Python, rdflib) printed them into {@code attributeValue}: {@code str()} of
 * the literal's Python value, Python {@code repr} inside lists, and {@code json.dumps(sort_keys=True,
 * separators=(',', ':'), ensure_ascii=False)} for JSON literals.
 *
 * <p>The checks compare these strings (datatype regexes, {@code sh:in}, {@code sh:hasValue}), so {@code 1.0} must print
 * as {@code '1.0'}, {@code 1e16} as {@code '1e+16'} and {@code true} as {@code 'True'}.
 */
final class PythonLiterals {

    static final String XSD = "http://www.w3.org/2001/XMLSchema#";
    static final String XSD_STRING = XSD + "string";
    static final String XSD_INTEGER = XSD + "integer";
    static final String XSD_DOUBLE = XSD + "double";
    static final String XSD_BOOLEAN = XSD + "boolean";
    static final String RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

    private static final Set<String> INTEGER_TYPES = Set.of("integer", "int", "long", "short", "byte",
            "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong",
            "unsignedInt", "unsignedShort", "unsignedByte");
    private static final Pattern INTEGER = Pattern.compile("\\s*[+-]?\\d+\\s*");
    private static final Pattern DECIMAL = Pattern.compile("\\s*[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)\\s*");
    private static final Pattern FLOAT = Pattern.compile("\\s*[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?\\s*");
    private static final Pattern INFINITY = Pattern.compile("\\s*([+-]?)(?i:inf|infinity)\\s*");
    private static final Pattern NAN = Pattern.compile("\\s*[+-]?(?i:nan)\\s*");

    private PythonLiterals() {
    }

    /** Python {@code repr(float)} / {@code str(float)}: shortest round-trip digits, {@code 1e+16}, {@code 1.0}. */
    static String floatRepr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestRoundTrip(value).stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int decimalPoint = digits.length() - shortest.scale();
        StringBuilder out = new StringBuilder(value < 0 ? "-" : "");
        if (decimalPoint <= -4 || decimalPoint > 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decimalPoint - 1;
            out.append(exponent < 0 ? "e-" : "e+");
            String magnitude = Integer.toString(Math.abs(exponent));
            out.append(magnitude.length() < 2 ? "0" + magnitude : magnitude);
        } else if (decimalPoint <= 0) {
            out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
        } else if (decimalPoint >= digits.length()) {
            out.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
        } else {
            out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, digits.length());
        }
        return out.toString();
    }

    /** The decimal with the fewest significant digits that parses back to {@code value}, closest on ties. */
    private static BigDecimal shortestRoundTrip(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal best = null;
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.FLOOR,
                    RoundingMode.CEILING}) {
                BigDecimal candidate = exact.round(new MathContext(precision, mode));
                if (Double.parseDouble(candidate.toString()) == value
                        && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = candidate;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return exact.round(MathContext.DECIMAL64);
    }

    /** Python {@code str()} of the value rdflib makes of a literal with this lexical form and datatype. */
    static String valueString(String lexical, String datatype) {
        String converted = convertedValue(lexical, datatype);
        return converted == null ? lexical : converted;
    }

    /**
     * Python {@code str()} of an XSD numeric or boolean literal's value, or null when rdflib keeps the literal as text
     * (other datatypes, or a lexical form that is not valid for the datatype).
     */
    private static String convertedValue(String lexical, String datatype) {
        if (datatype == null || !datatype.startsWith(XSD)) {
            return null;
        }
        String local = datatype.substring(XSD.length());
        if (INTEGER_TYPES.contains(local)) {
            return INTEGER.matcher(lexical).matches() ? new BigInteger(lexical.strip().replace("+", "")).toString()
                    : null;
        }
        if (local.equals("double") || local.equals("float")) {
            Double parsed = parsePythonFloat(lexical);
            return parsed == null ? null : floatRepr(parsed);
        }
        if (local.equals("decimal")) {
            return DECIMAL.matcher(lexical).matches() ? decimalString(lexical) : null;
        }
        if (local.equals("boolean")) {
            Boolean parsed = parseBoolean(lexical);
            return parsed == null ? null : pythonBoolean(parsed);
        }
        return null;
    }

    /** Python {@code repr(str)}: single quotes unless the text holds only {@code '}, backslash escapes. */
    static String stringRepr(String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        text.codePoints().forEach(codePoint -> {
            if (codePoint == quote || codePoint == '\\') {
                out.append('\\').appendCodePoint(codePoint);
            } else if (codePoint == '\t') {
                out.append("\\t");
            } else if (codePoint == '\n') {
                out.append("\\n");
            } else if (codePoint == '\r') {
                out.append("\\r");
            } else if (!isPrintable(codePoint)) {
                if (codePoint < 0x100) {
                    out.append(String.format("\\x%02x", codePoint));
                } else if (codePoint < 0x10000) {
                    out.append(String.format("\\u%04x", codePoint));
                } else {
                    out.append(String.format("\\U%08x", codePoint));
                }
            } else {
                out.appendCodePoint(codePoint);
            }
        });
        return out.append(quote).toString();
    }

    /** Python {@code str(list)} of an expanded JSON-LD list's items. */
    static String listRepr(JsonArray items) {
        List<String> rendered = new ArrayList<>();
        for (JsonValue item : items) {
            rendered.add(itemRepr(item));
        }
        return "[" + String.join(", ", rendered) + "]";
    }

    private static String itemRepr(JsonValue item) {
        if (!(item instanceof JsonObject object)) {
            return nativeRepr(item);
        }
        if (object.containsKey("@list")) {
            return listRepr(object.getJsonArray("@list"));
        }
        if (object.containsKey("@id")) {
            return stringRepr(object.getString("@id"));
        }
        JsonValue value = object.get("@value");
        JsonValue type = object.get("@type");
        if (value == null) {
            return "None";
        }
        if (!(type instanceof JsonString datatype) || !(value instanceof JsonString lexical)) {
            return nativeRepr(value);
        }
        String text = lexical.getString();
        if (datatype.getString().equals(XSD + "decimal") && DECIMAL.matcher(text).matches()) {
            return "Decimal('" + decimalString(text) + "')";
        }
        String converted = convertedValue(text, datatype.getString());
        return converted == null ? stringRepr(text) : converted;
    }

    private static String nativeRepr(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> stringRepr(((JsonString) value).getString());
            case NUMBER -> numberString((JsonNumber) value);
            case TRUE -> "True";
            case FALSE -> "False";
            case NULL -> "None";
            default -> stringRepr(canonicalJson(value));
        };
    }

    /** A native JSON number the way Python prints it: integers as digits, other numbers as {@code repr(float)}. */
    static String numberString(JsonNumber number) {
        return number.isIntegral() ? number.bigIntegerValue().toString() : floatRepr(toDouble(number));
    }

    /** The double a JSON number token denotes (correctly rounded). */
    static double toDouble(JsonNumber number) {
        return Double.parseDouble(number.bigDecimalValue().toString());
    }

    static String pythonBoolean(boolean value) {
        return value ? "True" : "False";
    }

    /** {@code json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=False)}. */
    static String canonicalJson(JsonValue value) {
        StringBuilder out = new StringBuilder();
        writeJson(value, out);
        return out.toString();
    }

    private static void writeJson(JsonValue value, StringBuilder out) {
        switch (value.getValueType()) {
            case OBJECT -> {
                JsonObject object = value.asJsonObject();
                List<String> keys = new ArrayList<>(object.keySet());
                keys.sort(PythonLiterals::compareCodePoints);
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeJsonString(keys.get(i), out);
                    out.append(':');
                    writeJson(object.get(keys.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                JsonArray array = value.asJsonArray();
                out.append('[');
                for (int i = 0; i < array.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeJson(array.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeJsonString(((JsonString) value).getString(), out);
            case NUMBER -> {
                JsonNumber number = (JsonNumber) value;
                if (number.isIntegral()) {
                    out.append(number.bigIntegerValue());
                } else {
                    double parsed = toDouble(number);
                    out.append(Double.isNaN(parsed) ? "NaN"
                            : Double.isInfinite(parsed) ? (parsed > 0 ? "Infinity" : "-Infinity")
                            : floatRepr(parsed));
                }
            }
            case TRUE -> out.append("true");
            case FALSE -> out.append("false");
            case NULL -> out.append("null");
            default -> throw new IllegalStateException("unexpected JSON value " + value.getValueType());
        }
    }

    private static void writeJsonString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static int compareCodePoints(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int a = left.codePointAt(i);
            int b = right.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(left.length() - i, right.length() - j);
    }

    /** Python's {@code float(text)} for the forms rdflib accepts, or null when it is not a float. */
    private static Double parsePythonFloat(String text) {
        if (NAN.matcher(text).matches()) {
            return Double.NaN;
        }
        var infinity = INFINITY.matcher(text);
        if (infinity.matches()) {
            return infinity.group(1).equals("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return FLOAT.matcher(text).matches() ? Double.parseDouble(text.strip()) : null;
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Python {@code str(Decimal(text))}: the same to-scientific-string rules as {@link BigDecimal#toString()}. */
    private static String decimalString(String text) {
        String stripped = text.strip();
        if (stripped.endsWith(".")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        if (stripped.startsWith("+")) {
            stripped = stripped.substring(1);
        }
        if (stripped.startsWith(".") || stripped.startsWith("-.")) {
            stripped = stripped.replaceFirst("\\.", "0.");
        }
        return new BigDecimal(stripped).toString();
    }

    /** Python's {@code str.isprintable()} for one code point. */
    private static boolean isPrintable(int codePoint) {
        if (codePoint == ' ') {
            return true;
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
