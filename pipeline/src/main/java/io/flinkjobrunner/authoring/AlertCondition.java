package io.flinkjobrunner.authoring;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An alert request in structured form: alert when {@code sensor operator threshold} (in {@code unit}).
 *
 * @param sensor    attribute name ({@code temperature}, {@code humidity}, ...) or an absolute attribute IRI
 * @param operator  when the alert fires
 * @param threshold the number compared with
 * @param unit      the unit as written in the prompt ({@code °c}, {@code %}, {@code db}, ...), or null; informative only
 */
@JsonPropertyOrder({"sensor", "operator", "threshold", "unit"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AlertCondition(String sensor, ComparisonOperator operator, double threshold, String unit) {

    public AlertCondition {
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(operator, "operator");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number");
        }
    }

    /** Threshold as Python prints a float ({@code 75.0}, {@code 0.5}, {@code -3.0}), as the reference showed it. */
    public String thresholdText() {
        return PythonFloat.format(threshold);
    }

    /** {@code Temperature > 75.0°c}: the reference's sh:message. */
    public String describe() {
        String name = sensor.contains(":") ? sensor : capitalize(sensor);
        return name + " " + operator.symbol() + " " + thresholdText() + (unit == null ? "" : unit);
    }

    /** Python's {@code str.capitalize()}: first character upper case, the rest lower case. */
    static String capitalize(String text) {
        if (text.isEmpty()) {
            return text;
        }
        int first = text.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toUpperCase(first))
                .append(text.substring(Character.charCount(first)).toLowerCase(java.util.Locale.ROOT)).toString();
    }
}
