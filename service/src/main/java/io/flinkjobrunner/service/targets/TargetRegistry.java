package io.flinkjobrunner.service.targets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** All targets the service can run: every {@link Target} bean, by name. */
@ApplicationScoped
public class TargetRegistry {

    private final Map<String, Target> targets = new TreeMap<>();

    @Inject
    TargetRegistry(Instance<Target> beans) {
        for (Target t : beans) {
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
