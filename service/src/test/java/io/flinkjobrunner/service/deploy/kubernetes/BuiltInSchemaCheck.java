package io.flinkjobrunner.service.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a built-in Kubernetes object (Deployment, Role, Service, …) against fabric8's generated model, which mirrors
 * the API server's OpenAPI schema: the object must map onto a typed class and no field may end up in a model's
 * {@code additionalProperties}, i.e. every field must be one the schema declares, with a compatible type.
 */
public final class BuiltInSchemaCheck {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private BuiltInSchemaCheck() {
    }

    /** Violations of {@code yamlOrJson} (one object); empty when it conforms. */
    public static List<String> validate(String yamlOrJson) {
        List<String> errors = new ArrayList<>();
        Object typed;
        try {
            typed = SERIALIZATION.unmarshal(yamlOrJson);
        } catch (RuntimeException e) {
            errors.add("does not map onto the Kubernetes model: " + e.getMessage());
            return errors;
        }
        if (typed instanceof GenericKubernetesResource generic) {
            errors.add(generic.getApiVersion() + " " + generic.getKind() + " is not a built-in kind");
            return errors;
        }
        walk(typed, "$", errors, new IdentityHashMap<>());
        return errors;
    }

    private static void walk(Object value, String path, List<String> errors, IdentityHashMap<Object, Object> seen) {
        if (value == null || seen.put(value, value) != null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object item : collection) {
                walk(item, path + "[" + i++ + "]", errors, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, errors, seen));
            return;
        }
        if (!(value instanceof KubernetesResource)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    errors.add(path + ": fields not in the schema of " + value.getClass().getSimpleName() + ": "
                            + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            walk(child, path + "." + field, errors, seen);
        }
    }
}
