package io.flinkjobrunner.ngsild;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads JSON strictly (duplicate keys and trailing content are errors, with line and column) and converts it to the
 * {@code jakarta.json} model the JSON-LD processor works on, keeping every number token's kind.
 *
 * <p>The kind matters: {@code 1.0} must stay a double ({@code xsd:double}) and {@code 1} an integer, as in the
 * reference. A floating-point token is carried as a {@link BigDecimal} with a positive scale, so even {@code 1.0e1}
 * is never mistaken for an integral number downstream.
 */
final class StrictJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final JsonProvider JSON = JsonProvider.provider();

    private StrictJson() {
    }

    /** Parses {@code text}; the top level must be an object or an array. */
    static JsonStructure parse(String text, String source) throws NgsiLdException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String message = e.getOriginalMessage();
            int line = location == null ? 0 : location.getLineNr();
            int column = location == null ? 0 : location.getColumnNr();
            if (column > 1 && !message.startsWith("Unexpected end-of-input")) {
                // Jackson reports the position after the offending character or token; point at it instead
                column--;
            }
            throw NgsiLdException.syntax(source, line, column, message);
        }
        if (tree == null || tree.isMissingNode()) {
            throw NgsiLdException.syntax(source, 1, 1, "empty document");
        }
        if (!tree.isObject() && !tree.isArray()) {
            throw NgsiLdException.syntax(source, 1, 1, "expected a JSON object or array at the top level");
        }
        return (JsonStructure) convert(tree);
    }

    private static JsonValue convert(JsonNode node) {
        if (node.isObject()) {
            JsonObjectBuilder object = JSON.createObjectBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                object.add(field.getKey(), convert(field.getValue()));
            }
            return object.build();
        }
        if (node.isArray()) {
            JsonArrayBuilder array = JSON.createArrayBuilder();
            for (JsonNode element : node) {
                array.add(convert(element));
            }
            return array.build();
        }
        if (node.isTextual()) {
            return JSON.createValue(node.textValue());
        }
        if (node.isIntegralNumber()) {
            return JSON.createValue(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            BigDecimal decimal = node.decimalValue();
            return JSON.createValue(decimal.scale() > 0 ? decimal : decimal.setScale(1));
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? JsonValue.TRUE : JsonValue.FALSE;
        }
        return JsonValue.NULL;
    }
}
