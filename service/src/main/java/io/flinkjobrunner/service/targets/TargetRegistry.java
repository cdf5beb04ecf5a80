package io.flinkjobrunner.service.targets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * All targets the service can run: every {@link Target} bean. The reference's target names are reserved; a reserved
 * target without an implementation is refused at submission, never accepted and then failed.
 */
@ApplicationScoped
public class TargetRegistry {

    /** Target names of the reference FlinkJobRunner, plus {@code validate}. */
    public static final List<String> RESERVED = List.of("validate", "setup", "build", "plan", "deploy",
            "flink-deploy", "flink-undeploy", "setup-and-deploy");

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

    /** The implementation of a target, if there is one. */
    public Optional<Target> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    /** Names of the implemented targets, sorted. */
    public List<String> available() {
        return List.copyOf(targets.keySet());
    }

    /** Reserved names that have no implementation yet. */
    public List<String> notYetImplemented() {
        List<String> out = new ArrayList<>();
        for (String r : RESERVED) {
            if (!targets.containsKey(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** All implemented targets. */
    public List<Target> all() {
        return List.copyOf(targets.values());
    }
}
