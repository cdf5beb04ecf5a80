package io.flinkjobrunner.service.targets;

/** Typed key of a value one step hands to a later step of the same job (e.g. the parsed shapes graph). */
public record StepKey<T>(String name, Class<T> type) {

    /** Creates a key. */
    public static <T> StepKey<T> of(String name, Class<T> type) {
        return new StepKey<>(name, type);
    }
}
