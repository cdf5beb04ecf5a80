package io.flinkjobrunner.service.deploy.kubernetes.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * Computes a JSON merge patch (RFC 7386): the document that turns {@code live} into {@code desired} when the API
 * server merges it. Keys {@code desired} lacks become {@code null} (removed), objects are merged key by key, every
 * other value (arrays included) replaces the live one. Used on the sections this service owns ({@code spec},
 * {@code data}), so they end up exactly as rendered while the rest of the object (finalizers, other controllers'
 * labels and annotations, status) is left alone.
 *
 * <p>Numbers are equal by value: the API server stores the rendered {@code 1.0} CPUs as {@code 1}, yet counts
 * {@code 1.0} sent over a stored {@code 1} as a spec change (it compares the decoded spec, a float against an
 * integer) and bumps the generation, which the Flink operator answers with an upgrade of a job whose spec did not
 * change. An equal number is therefore never sent.
 */
public final class MergePatch {

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : (a.equals(b) ? 0 : 1);

    private MergePatch() {
    }

    /** The patch turning {@code live} into {@code desired}; {@code desired} itself unless both are objects. */
    public static JsonNode diff(JsonNode live, JsonNode desired) {
        if (desired == null || desired.isMissingNode()) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (live == null || !live.isObject() || !desired.isObject()) {
            return desired;
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> wanted = desired.fields();
        while (wanted.hasNext()) {
            Map.Entry<String, JsonNode> field = wanted.next();
            JsonNode before = live.get(field.getKey());
            if (before == null || !before.equals(NUMBERS_BY_VALUE, field.getValue())) {
                patch.set(field.getKey(), diff(before, field.getValue()));
            }
        }
        Iterator<String> present = live.fieldNames();
        while (present.hasNext()) {
            String key = present.next();
            if (!desired.has(key)) {
                patch.putNull(key);
            }
        }
        return patch;
    }
}
