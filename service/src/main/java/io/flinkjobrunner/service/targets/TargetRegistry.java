package io.flinkjobrunner.service.targets;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** All targets the service can run: every {@link Target} bean, by name, each with its steps in a valid order. */
@Startup // built when the service starts: a target whose steps are out of order stops it before it takes a job
@ApplicationScoped
public class TargetRegistry {

    private final Map<String, Target> targets = new TreeMap<>();

    @Inject
    TargetRegistry(Instance<Target> beans) {
        for (Target t : beans) {
            StepOrder.check(t);
            Target previous = targets.put(t.name(), t);
            if (previous != null) {
                throw new IllegalStateException("two implementations of target '" + t.name() + "': "
                        + previous.getClass().getName() + " and " + t.getClass().getName());
            }
        }
    }

    /** The target of that name, if there is one. */
    public Optional<Target> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    /** Names of all targets, sorted. */
    public List<String> names() {
        return List.copyOf(targets.keySet());
    }

    /** All targets, sorted by name. */
    public List<Target> all() {
        return List.copyOf(targets.values());
    }
}
