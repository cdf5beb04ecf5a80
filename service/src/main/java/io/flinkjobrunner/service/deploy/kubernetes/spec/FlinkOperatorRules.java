package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules the Flink Kubernetes Operator's validator ({@code DefaultValidator}, identical in 1.10–1.15) applies to a
 * FlinkDeployment, checked on the rendered spec so that {@code plan} and {@code deploy} refuse, before anything is
 * applied, what the operator would reject (with its webhook at once, without it as a FAILED status).
 *
 * <p>The effective configuration the operator validates is its own default configuration plus the spec's
 * {@code flinkConfiguration}; the stock operator configuration sets no state directory, so only the spec counts. The
 * image's own configuration is not seen by the validator.
 */
public final class FlinkOperatorRules {

    /** Flink 2 key of the checkpoint directory; Flink 1 (and the operator's fallback) read {@link #CHECKPOINTS_1}. */
    static final String CHECKPOINTS = "execution.checkpointing.dir";
    static final String CHECKPOINTS_1 = "state.checkpoints.dir";
    /** Flink 2 key of the savepoint directory; Flink 1 reads {@link #SAVEPOINTS_1}. */
    static final String SAVEPOINTS = "execution.checkpointing.savepoint-dir";
    static final String SAVEPOINTS_1 = "state.savepoints.dir";
    private static final String PERIODIC_SAVEPOINTS = "kubernetes.operator.periodic.savepoint.interval";
    private static final String ROLLBACK = "kubernetes.operator.deployment.rollback.enabled";
    /** Flink 2 key of the HA mode; Flink 1 reads {@link #HA_TYPE_1}. */
    private static final String HA_TYPE = "high-availability.type";
    private static final String HA_TYPE_1 = "high-availability";
    private static final String HA_STORAGE = "high-availability.storageDir";
    private static final String HA_FOR_ROLLBACK = "HA must be enabled for rollback support (" + HA_TYPE
            + ": kubernetes and " + HA_STORAGE + ")";
    private static final String HA_FOR_STANDBY =
            "Kubernetes High availability should be enabled when starting standby JobManagers";

    private FlinkOperatorRules() {
    }

    /**
     * The operator's messages for every rule {@code spec} (a FlinkDeployment's {@code spec}) breaks; empty when the
     * operator accepts it.
     */
    public static List<String> violations(Map<?, ?> spec) {
        Map<?, ?> configuration = spec.get("flinkConfiguration") instanceof Map<?, ?> c ? c : Map.of();
        Map<?, ?> job = spec.get("job") instanceof Map<?, ?> j ? j : null;
        List<String> violations = new ArrayList<>();
        if (job != null) {
            String upgradeMode = String.valueOf(job.get("upgradeMode"));
            boolean stateful = "savepoint".equals(upgradeMode) || "last-state".equals(upgradeMode);
            if (stateful && !set(configuration, CHECKPOINTS, CHECKPOINTS_1)) {
                violations.add("Checkpoint directory[" + CHECKPOINTS + "] must be defined for last-state and "
                        + "savepoint upgrade modes");
            }
            if ("savepoint".equals(upgradeMode) && !set(configuration, SAVEPOINTS, SAVEPOINTS_1)) {
                violations.add("Job could not be upgraded with savepoint while config key[" + SAVEPOINTS
                        + "] is not set");
            }
        }
        Object periodic = configuration.get(PERIODIC_SAVEPOINTS);
        if (periodic != null && !String.valueOf(periodic).isBlank()
                && !String.valueOf(periodic).matches("\\s*0+\\s*[a-z]*\\s*")
                && !set(configuration, SAVEPOINTS, SAVEPOINTS_1)) {
            violations.add("Periodic savepoints cannot be enabled when config key[" + SAVEPOINTS + "] is not set");
        }
        // rollback to the last stable spec and standby JobManagers both restore from HA metadata
        boolean highAvailability = value(configuration, HA_TYPE, HA_TYPE_1).filter(t -> !t.equalsIgnoreCase("none"))
                .isPresent() && value(configuration, HA_STORAGE, HA_STORAGE).isPresent();
        if (!highAvailability && value(configuration, ROLLBACK, ROLLBACK).filter("true"::equalsIgnoreCase)
                .isPresent()) {
            violations.add(HA_FOR_ROLLBACK);
        }
        Map<?, ?> jobManager = spec.get("jobManager") instanceof Map<?, ?> m ? m : Map.of();
        if (!highAvailability && jobManager.get("replicas") instanceof Number n && n.intValue() > 1) {
            violations.add(HA_FOR_STANDBY);
        }
        return violations;
    }

    /**
     * Refuses a spec the operator would reject.
     *
     * @throws InvalidDeploymentException naming every rule broken and how to fix it
     */
    public static void require(Map<?, ?> spec) {
        List<String> violations = violations(spec);
        if (!violations.isEmpty()) {
            // the state-directory advice fixes every rule but the two on high availability, which need HA settings
            boolean stateRules = violations.stream()
                    .anyMatch(v -> !v.equals(HA_FOR_ROLLBACK) && !v.equals(HA_FOR_STANDBY));
            String advice = stateRules ? "Set runner.deploy.flink.state-dir (e.g. s3://flink/state) so checkpoints "
                    + "and savepoints have a durable place, or choose runner.deploy.flink.upgrade-mode=stateless"
                    : "Add " + HA_TYPE + ": kubernetes and " + HA_STORAGE + " to runner.deploy.flink.configuration, "
                    + "or turn the option off";
            throw new InvalidDeploymentException("the Flink operator would reject this FlinkDeployment: "
                    + String.join("; ", violations) + ". " + advice + "; nothing was applied");
        }
    }

    private static boolean set(Map<?, ?> configuration, String key, String legacyKey) {
        return value(configuration, key, legacyKey).isPresent();
    }

    /** The stripped value of {@code key}, else of {@code legacyKey}; empty when neither is set to a non-blank value. */
    private static Optional<String> value(Map<?, ?> configuration, String key, String legacyKey) {
        for (String k : new String[] {key, legacyKey}) {
            Object value = configuration.get(k);
            if (value != null && !String.valueOf(value).isBlank()) {
                return Optional.of(String.valueOf(value).strip());
            }
        }
        return Optional.empty();
    }
}
