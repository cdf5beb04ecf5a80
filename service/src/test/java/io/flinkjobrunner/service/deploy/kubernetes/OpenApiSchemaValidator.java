package io.flinkjobrunner.service.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON document against a CRD's structural OpenAPI v3 schema, as the API server would, but strictly: a field
 * the schema does not declare is an error here (the API server would silently prune it, which hides bugs).
 *
 * <p>Covers what structural schemas may use: type, properties, additionalProperties, items, required, enum,
 * minimum/maximum, nullable, x-kubernetes-preserve-unknown-fields and x-kubernetes-int-or-string.
 */
public final class OpenApiSchemaValidator {

    /** Fields every object has, whether or not a CRD schema declares them. */
    private static final java.util.Set<String> IMPLICIT = java.util.Set.of("$.apiVersion", "$.kind", "$.metadata");

    private OpenApiSchemaValidator() {
    }

    /** Every violation, each with its JSON path; empty when the document conforms. */
    public static List<String> validate(JsonNode schema, JsonNode document) {
        List<String> errors = new ArrayList<>();
        check(schema, document, "$", errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        // Object metadata is validated by the API server itself, not by the CRD schema.
        if (schema == null || schema.isMissingNode() || path.equals("$.metadata")) {
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(path + ": null is not allowed");
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(path + ": expected integer or string, got " + value.getNodeType());
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> checkObject(schema, value, path, errors);
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(path + ": expected array, got " + value.getNodeType());
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]", errors);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    errors.add(path + ": expected string, got " + value.getNodeType());
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    errors.add(path + ": expected integer, got " + value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    errors.add(path + ": expected number, got " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    errors.add(path + ": expected boolean, got " + value);
                }
            }
            case "" -> {
                if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                    errors.add(path + ": schema without type or x-kubernetes-preserve-unknown-fields");
                }
            }
            default -> errors.add(path + ": unsupported schema type " + type);
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isNumber() && schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
            errors.add(path + ": " + value + " is below the minimum " + schema.get("minimum"));
        }
        if (value.isNumber() && schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
            errors.add(path + ": " + value + " is above the maximum " + schema.get("maximum"));
        }
    }

    private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (!value.isObject()) {
            errors.add(path + ": expected object, got " + value.getNodeType());
            return;
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(path + ": missing required field " + required.asText());
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), fieldPath, errors);
            } else if (additional.isObject()) {
                check(additional, field.getValue(), fieldPath, errors);
            } else if (!preserve && !IMPLICIT.contains(fieldPath)) {
                errors.add(fieldPath + ": field not declared by the schema");
            }
        }
    }
}
