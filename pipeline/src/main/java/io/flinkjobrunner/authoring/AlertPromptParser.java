package io.flinkjobrunner.authoring;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a natural-language alert request ("Alert me if temperature exceeds 75 °C") into an {@link AlertCondition},
 * with the reference's rules (IndustryFusion FlinkJobRunner {@code alerts_shacl.py}; docs/semantics.md, "Alert
 * authoring"):
 * <ul>
 *   <li>sensor: the first sensor (in the order temperature, humidity, noise, dustiness, machine_state) with a keyword
 *       that occurs as a whole word; none: temperature;</li>
 *   <li>operator and threshold: the first operator group (in the order &gt;, &lt;, &gt;=, &lt;=, ==) whose phrase is
 *       followed by a number ({@code exceeds 75}, {@code at least 85}); none: {@code >} and the first number; no
 *       number: {@code >} 0. So "is above 5" is {@code >} and, as in the reference, "no less than 5" is {@code <};</li>
 *   <li>unit: one of the sensor's units.</li>
 * </ul>
 * Deliberate fixes (docs/semantics.md): units are recognised when written as symbols or next to the number
 * ({@code 50%}, {@code 75 °C}, {@code 75°C}, {@code ℃}, {@code µg/m³}), where the reference's {@code \b...\b} found
 * {@code c} in {@code °C} and nothing in {@code 50%}; the unit right after the threshold wins over one elsewhere;
 * operator phrases only match as whole words ("hover 5" is not "over 5"); the symbols {@code >}, {@code <},
 * {@code >=}, {@code <=} are understood (the reference read {@code < 20} as {@code > 20}).
 */
public final class AlertPromptParser {

    /** Longest accepted prompt; the portal sends one sentence. */
    public static final int MAX_PROMPT_LENGTH = 2000;

    private static final Map<String, List<String>> SENSORS = new LinkedHashMap<>();
    private static final Map<String, List<String>> UNITS = new LinkedHashMap<>();

    static {
        SENSORS.put("temperature", List.of("temp", "temperature", "degrees"));
        SENSORS.put("humidity", List.of("humidity", "moisture"));
        SENSORS.put("noise", List.of("noise", "sound", "decibel", "db"));
        SENSORS.put("dustiness", List.of("dust", "dustiness", "particulate", "pm"));
        SENSORS.put("machine_state", List.of("state", "status", "machine"));
        // Units as the reference lists them; matched on the NFKC form of the prompt (℃ -> °C, µ -> μ, ³ -> 3).
        UNITS.put("temperature", List.of("°c", "°f", "celsius", "fahrenheit", "c", "f"));
        UNITS.put("humidity", List.of("%", "percentage", "percent", "rh"));
        UNITS.put("noise", List.of("decibels", "decibel", "db"));
        UNITS.put("dustiness", List.of("µg/m3", "ug/m3", "mg/m3", "ppm"));
        UNITS.put("machine_state", List.of());
    }

    private static final String NUMBER = "(-?\\d+\\.?\\d*)";

    /**
     * Operator groups in the reference's order. A phrase must be a whole word followed by whitespace and a number (as
     * in the reference); a symbol may touch the number ({@code >75}).
     */
    private static final List<Map.Entry<ComparisonOperator, Pattern>> OPERATORS = List.of(
            operator(ComparisonOperator.GREATER, "above|greater than|exceeds?|over|more than", ">(?!=)"),
            operator(ComparisonOperator.LESS, "below|less than|under", "<(?!=)"),
            operator(ComparisonOperator.GREATER_OR_EQUAL, "at least|minimum|min", ">="),
            operator(ComparisonOperator.LESS_OR_EQUAL, "at most|maximum|max", "<="),
            operator(ComparisonOperator.EQUAL, "equals?|is", "=="));

    private static final Pattern FIRST_NUMBER = Pattern.compile(NUMBER);

    private AlertPromptParser() {
    }

    private static Map.Entry<ComparisonOperator, Pattern> operator(ComparisonOperator operator, String words,
            String symbol) {
        return Map.entry(operator, Pattern.compile(
                "(?:(?<![\\p{L}\\p{N}_])(?:" + words + ")\\s+|" + symbol + "\\s*)" + NUMBER));
    }

    /**
     * Parses {@code prompt}; never fails on unknown text (it falls back as described above).
     *
     * @throws IllegalArgumentException if the prompt is longer than {@link #MAX_PROMPT_LENGTH}
     */
    public static AlertCondition parse(String prompt) {
        if (prompt.length() > MAX_PROMPT_LENGTH) {
            throw new IllegalArgumentException("the prompt is longer than " + MAX_PROMPT_LENGTH + " characters");
        }
        // NFKC folds look-alikes the portal may send (℃ -> °c, µ -> μ, ³ -> 3, full-width digits); ASCII is unchanged.
        String text = normalise(prompt);
        String sensor = sensor(text);
        ComparisonOperator operator = ComparisonOperator.GREATER;
        double threshold = 0.0;
        int thresholdEnd = -1;
        for (Map.Entry<ComparisonOperator, Pattern> candidate : OPERATORS) {
            Matcher match = candidate.getValue().matcher(text);
            if (match.find()) {
                operator = candidate.getKey();
                threshold = Double.parseDouble(match.group(1));
                thresholdEnd = match.end(1);
                break;
            }
        }
        if (thresholdEnd < 0) {
            Matcher number = FIRST_NUMBER.matcher(text);
            if (number.find()) {
                threshold = Double.parseDouble(number.group(1));
                thresholdEnd = number.end(1);
            }
        }
        return new AlertCondition(sensor, operator, threshold, unit(text, sensor, thresholdEnd).orElse(null));
    }

    private static String sensor(String text) {
        for (Map.Entry<String, List<String>> sensor : SENSORS.entrySet()) {
            for (String keyword : sensor.getValue()) {
                if (Pattern.compile("\\b" + Pattern.quote(keyword) + "\\b").matcher(text).find()) {
                    return sensor.getKey();
                }
            }
        }
        return "temperature";
    }

    /**
     * The sensor's unit in the prompt: the one right after the threshold if there is one, else the first anywhere.
     * A unit may follow a digit or a space but not a letter, and may not run into a letter or digit.
     */
    private static Optional<String> unit(String text, String sensor, int thresholdEnd) {
        List<String> units = UNITS.getOrDefault(sensor, List.of());
        if (units.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder alternatives = new StringBuilder();
        for (String unit : units) {
            alternatives.append(alternatives.isEmpty() ? "" : "|").append(Pattern.quote(normalise(unit)));
        }
        Pattern pattern = Pattern.compile("(?<![\\p{L}])(" + alternatives + ")(?![\\p{L}\\p{N}])");
        if (thresholdEnd >= 0) {
            Matcher next = Pattern.compile("\\s*(" + alternatives + ")(?![\\p{L}\\p{N}])").matcher(text);
            if (next.region(thresholdEnd, text.length()).lookingAt()) {
                return Optional.of(canonical(next.group(1), units));
            }
        }
        Matcher anywhere = pattern.matcher(text);
        return anywhere.find() ? Optional.of(canonical(anywhere.group(1), units)) : Optional.empty();
    }

    private static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** The unit as the reference spells it; plurals fold into the listed singular. */
    private static String canonical(String matched, List<String> units) {
        for (String unit : units) {
            if (normalise(unit).equals(matched)) {
                return unit.equals("decibels") ? "decibel" : unit;
            }
        }
        return matched;
    }
}
