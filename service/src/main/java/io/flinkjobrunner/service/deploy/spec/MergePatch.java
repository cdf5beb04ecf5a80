package io.flinkjobrunner.service.deploy.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Computes a JSON merge patch (RFC 7386): the document that turns {@code live} into {@code desired} when the API
 * server merges it. Keys {@code desired} lacks become {@code null} (removed), objects are merged key by key, every
 * other value (arrays included) replaces the live one. Used on the sections this service owns ({@code spec},
 * {@code data}), so they end up exactly as rendered while the rest of the object (finalizers, other controllers'
 * labels and annotations, status) is left alone.
 */
public final class MergePatch {

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
            if (before == null || !before.equals(field.getValue())) {
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
