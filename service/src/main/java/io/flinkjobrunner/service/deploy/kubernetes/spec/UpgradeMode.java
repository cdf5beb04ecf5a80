package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.util.Locale;

/** The Flink operator's {@code spec.job.upgradeMode}: how a running job is stopped and restored on a spec change. */
public enum UpgradeMode {
    /** Cancel without state; the new job starts empty. */
    STATELESS("stateless"),
    /** Restore from the latest checkpoint (needs checkpointing and HA metadata). */
    LAST_STATE("last-state"),
    /** Stop with a savepoint and restore from it: the default, it keeps join and alert state across redeploys. */
    SAVEPOINT("savepoint");

    private final String crdValue;

    UpgradeMode(String crdValue) {
        this.crdValue = crdValue;
    }

    /** The value as the CRD spells it. */
    public String crdValue() {
        return crdValue;
    }

    /** Parses the CRD spelling or the enum name, case-insensitively. */
    public static UpgradeMode parse(String value) {
        for (UpgradeMode mode : values()) {
            if (mode.crdValue.equalsIgnoreCase(value) || mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new InvalidDeploymentException("unknown upgrade mode '" + value
                + "' (expected stateless, last-state or savepoint)");
    }

    @Override
    public String toString() {
        return crdValue.toLowerCase(Locale.ROOT);
    }
}
