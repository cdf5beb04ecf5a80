package io.flinkjobrunner.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a Flink exception chain into one readable line: the outermost message and the root cause.
 *
 * <p>Flink wraps failures several layers deep ({@code TableException: Failed to execute sql} → … → the connector's
 * own error); the outermost message says what was attempted and the root cause says why it failed.
 */
public final class FlinkFailures {

    /** {@code java.lang.IllegalStateException: } prefixes added by {@code new Exception(cause)}. */
    private static final Pattern CLASS_PREFIX =
            Pattern.compile("^(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error|Throwable)?: ");

    private FlinkFailures() {
    }

    /** "outer message: root cause message", without duplicated messages or Java class name prefixes. */
    public static String describe(Throwable failure) {
        List<String> messages = new ArrayList<>();
        Throwable current = failure;
        int depth = 0;
        while (current != null && depth++ < 64) {
            String message = clean(current);
            if (!message.isEmpty() && (messages.isEmpty() || !messages.get(messages.size() - 1).equals(message))) {
                messages.add(message);
            }
            if (current.getCause() == current) {
                break;
            }
            current = current.getCause();
        }
        if (messages.isEmpty()) {
            return failure.getClass().getSimpleName();
        }
        String outer = messages.get(0);
        String root = messages.get(messages.size() - 1);
        if (messages.size() == 1 || outer.contains(root)) {
            return outer;
        }
        return outer + ": " + root;
    }

    /** The deepest cause of {@code failure}. */
    public static Throwable rootCause(Throwable failure) {
        Throwable current = failure;
        int depth = 0;
        while (current.getCause() != null && current.getCause() != current && depth++ < 64) {
            current = current.getCause();
        }
        return current;
    }

    private static String clean(Throwable throwable) {
        String message = throwable.getMessage();
        if (message == null) {
            return "";
        }
        String cleaned = message.strip();
        while (CLASS_PREFIX.matcher(cleaned).find()) {
            cleaned = CLASS_PREFIX.matcher(cleaned).replaceFirst("");
        }
        return cleaned;
    }
}
