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

    /** Target names of the reference FlinkJobRunner, plus {@code validate} and {@code undeploy}. */
    public static final List<String> RESERVED = List.of("validate", "setup", "build", "plan", "deploy",
            "flink-deploy", "undeploy", "flink-undeploy", "setup-and-deploy");

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

    /** The implementation of a target, if there is one and it is available. */
    public Optional<Target> find(String name) {
        return Optional.ofNullable(targets.get(name)).filter(Target::available);
    }

    /** Names of the implemented and available targets, sorted. */
    public List<String> available() {
        return targets.values().stream().filter(Target::available).map(Target::name).toList();
    }

    /** Reserved names that have no implementation yet. */
    public List<String> notYetImplemented() {
        List<String> out = new ArrayList<>();
        for (String r : RESERVED) {
            if (find(r).isEmpty()) {
                out.add(r);
            }
        }
        return out;
    }

    /** All implemented and available targets. */
    public List<Target> all() {
        return targets.values().stream().filter(Target::available).toList();
    }
}
