package io.flinkjobrunner.service.targets;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The order of a target's steps, checked against what they declare: every value a step {@link Step#needs() needs} is
 * {@link Step#provides() provided} by an earlier step of the same target. A target that breaks this would fail in
 * the middle of every job; the registry refuses it when the service starts instead.
 */
public final class StepOrder {

    private StepOrder() {
    }

    /**
     * Checks one target.
     *
     * @throws IllegalStateException naming the target, the step and the values no earlier step provides
     */
    public static void check(Target target) {
        Set<String> provided = new LinkedHashSet<>();
        List<Step> steps = target.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Set<String> missing = new TreeSet<>(names(step.needs()));
            missing.removeAll(provided);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("target '" + target.name() + "': step " + (i + 1) + " ("
                        + step.name() + ") needs " + missing + ", which no earlier step provides (provided before it: "
                        + (provided.isEmpty() ? "nothing" : provided) + ")");
            }
            provided.addAll(names(step.provides()));
        }
    }

    private static Set<String> names(Set<StepKey<?>> keys) {
        return keys.stream().map(StepKey::name).collect(Collectors.toCollection(TreeSet::new));
    }
}
