package io.flinkjobrunner.service.authoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.flinkjobrunner.authoring.AlertCondition;
import io.flinkjobrunner.authoring.AlertPromptParser;
import io.flinkjobrunner.authoring.ComparisonOperator;
import io.flinkjobrunner.service.jobs.JobRequestParser;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the fields of the authoring requests with the reference's names and defaults, but refuses wrong types with a
 * 400 problem naming the field (the reference answered an HTML 500 for most of them).
 *
 * <p>As in the reference, any content type is accepted, an empty body counts as {@code {}} and unknown fields are
 * ignored (the portal sends more than each endpoint reads).
 */
final class AuthoringRequests {

    /** Longest accepted unit text. */
    static final int MAX_UNIT_LENGTH = 32;
    /** The reference's default prompt of {@code /api/shacl/generate}. */
    static final String DEFAULT_GENERATE_PROMPT = "temperature above 0";

    private AuthoringRequests() {
    }

    /** The request body as a JSON object; an empty body is {@code {}}. */
    static JsonNode body(byte[] bytes) {
        if (bytes == null || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode root = JobRequestParser.readJson(bytes);
        if (!root.isObject()) {
            throw invalid(List.of("request body must be a JSON object, got " + typeName(root)));
        }
        return root;
    }

    static ApiProblemException invalid(List<String> errors) {
        return ApiProblemException.invalid(Reason.INVALID_REQUEST, errors);
    }

    /** A string field; absent or null gives {@code fallback}. */
    static String string(JsonNode object, String field, String fallback, String path, List<String> errors) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            errors.add(path + " must be a string, got " + typeName(value));
            return fallback;
        }
        return value.textValue();
    }

    /** A prompt: a string of at most {@link AlertPromptParser#MAX_PROMPT_LENGTH} characters. */
    static String prompt(JsonNode object, String fallback, String path, List<String> errors) {
        String prompt = string(object, "prompt", fallback, path, errors);
        if (prompt != null && prompt.length() > AlertPromptParser.MAX_PROMPT_LENGTH) {
            errors.add(path + " must be at most " + AlertPromptParser.MAX_PROMPT_LENGTH + " characters, got "
                    + prompt.length());
            return fallback;
        }
        return prompt;
    }

    /** {@code jsonld_data}: one entity object, or absent/null. */
    static Optional<JsonNode> entity(JsonNode root, List<String> errors) {
        JsonNode value = root.get("jsonld_data");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            errors.add("jsonld_data must be one NGSI-LD entity (a JSON object), got " + typeName(value));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** The {@code condition} object, or empty when absent/null. */
    static Optional<JsonNode> conditionObject(JsonNode root, List<String> errors) {
        JsonNode value = root.get("condition");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            errors.add("condition must be an object with sensor, operator, threshold and unit, got "
                    + typeName(value));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** {@code base} with every field present in {@code condition} replacing the parsed one. */
    static AlertCondition override(AlertCondition base, JsonNode condition, List<String> errors) {
        String sensor = string(condition, "sensor", base.sensor(), "condition.sensor", errors);
        ComparisonOperator operator = base.operator();
        JsonNode op = condition.get("operator");
        if (op != null && !op.isNull()) {
            Optional<ComparisonOperator> parsed = op.isTextual()
                    ? ComparisonOperator.ofSymbol(op.textValue().strip()) : Optional.empty();
            if (parsed.isPresent()) {
                operator = parsed.get();
            } else {
                errors.add("condition.operator must be one of >, <, >=, <=, ==, got " + shorten(op.toString()));
            }
        }
        double threshold = base.threshold();
        JsonNode value = condition.get("threshold");
        if (value != null && !value.isNull()) {
            Optional<Double> number = number(value);
            if (number.isPresent()) {
                threshold = number.get();
            } else {
                errors.add("condition.threshold must be a finite number, got " + shorten(value.toString()));
            }
        }
        String unit = base.unit();
        if (condition.has("unit")) {
            unit = string(condition, "unit", null, "condition.unit", errors);
            if (unit != null && (unit.length() > MAX_UNIT_LENGTH || unit.chars().anyMatch(Character::isISOControl))) {
                errors.add("condition.unit must be at most " + MAX_UNIT_LENGTH
                        + " characters without control characters");
                unit = base.unit();
            }
        }
        if (sensor == null || sensor.isBlank()) {
            errors.add("condition.sensor must not be empty");
            sensor = base.sensor();
        }
        return new AlertCondition(sensor.strip(), operator, threshold, unit);
    }

    /** A JSON number, or a string Python's {@code float()} accepts (the reference converted with it). */
    private static Optional<Double> number(JsonNode value) {
        double parsed;
        if (value.isNumber()) {
            parsed = value.doubleValue();
        } else if (value.isTextual() && value.textValue().strip().matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            parsed = Double.parseDouble(value.textValue().strip());
        } else {
            return Optional.empty();
        }
        return Double.isFinite(parsed) ? Optional.of(parsed) : Optional.empty();
    }

    static String typeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "an unsupported value";
        };
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    /** Throws the collected errors, if any. */
    static void check(List<String> errors) {
        if (!errors.isEmpty()) {
            throw invalid(new ArrayList<>(errors));
        }
    }
}
