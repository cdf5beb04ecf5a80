package io.flinkjobrunner.service.targets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The values the steps of one job run hand to each other, each put and required only as its step declares
 * ({@link Step#provides()}, {@link Step#needs()}): what {@link StepOrder} checked at startup is then what runs.
 */
public final class StepValues {

    private final Map<String, Object> values = new LinkedHashMap<>();

    /**
     * Hands a value of {@code step} to later steps.
     *
     * @throws IllegalStateException if the step does not declare it in {@link Step#provides()}
     */
    public <T> void put(Step step, StepKey<T> key, T value) {
        if (!step.provides().contains(key)) {
            throw new IllegalStateException("step " + step.name() + " puts '" + key.name()
                    + "' but does not declare it in provides(), so no later step may rely on it");
        }
        values.put(key.name(), key.type().cast(value));
    }

    /** A value an earlier step put, if any (an optional read, not declared). */
    public <T> Optional<T> get(StepKey<T> key) {
        return Optional.ofNullable(values.get(key.name())).map(key.type()::cast);
    }

    /**
     * A value {@code step} needs.
     *
     * @throws IllegalStateException if the step does not declare it in {@link Step#needs()}, or no earlier step put it
     */
    public <T> T require(Step step, StepKey<T> key) {
        if (!step.needs().contains(key)) {
            throw new IllegalStateException("step " + step.name() + " requires '" + key.name()
                    + "' but does not declare it in needs(), so its target's step order is not checked for it");
        }
        return get(key).orElseThrow(() -> new IllegalStateException("no value for " + key.name()
                + ": the step that produces it did not run before this one"));
    }

    /** Drops every value (the run ended, or a step failed unexpectedly and what it left is not trusted). */
    public void clear() {
        values.clear();
    }
}
