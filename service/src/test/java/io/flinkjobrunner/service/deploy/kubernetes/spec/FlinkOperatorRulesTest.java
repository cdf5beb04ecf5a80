package io.flinkjobrunner.service.deploy.kubernetes.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plan-time check against the operator's validator: for each spec the service could render, it refuses exactly
 * what the operator double (the validator's rules transcribed separately, from the reference document) rejects, so
 * a deploy is refused before anything is applied instead of failing at the operator.
 */
class FlinkOperatorRulesTest {

    private static Map<String, Object> spec(String upgradeMode, int jobManagers, Map<String, String> configuration) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("flinkConfiguration", configuration);
        spec.put("jobManager", Map.of("replicas", jobManagers));
        spec.put("job", Map.of("upgradeMode", upgradeMode));
        return spec;
    }

    private static final Map<String, String> STATE = Map.of("execution.checkpointing.dir", "s3://f/c",
            "execution.checkpointing.savepoint-dir", "s3://f/s");
    private static final Map<String, String> HA = Map.of("high-availability.type", "kubernetes",
            "high-availability.storageDir", "s3://f/ha");

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.putAll(more);
        return all;
    }

    @Test
    void refusesExactlyWhatTheOperatorRejects() {
        Map<String, String> rollback = Map.of("kubernetes.operator.deployment.rollback.enabled", "true");
        Map<String, String> periodic = Map.of("kubernetes.operator.periodic.savepoint.interval", "1h");
        List<Map<String, Object>> specs = List.of(
                spec("stateless", 1, Map.of()),
                spec("savepoint", 1, Map.of()),
                spec("last-state", 1, Map.of("execution.checkpointing.dir", "s3://f/c")),
                spec("savepoint", 1, Map.of("execution.checkpointing.dir", "s3://f/c")),
                spec("savepoint", 1, STATE),
                spec("stateless", 1, periodic),
                spec("savepoint", 1, with(STATE, periodic)),
                spec("stateless", 1, rollback),
                spec("stateless", 1, with(rollback, Map.of("high-availability.type", "kubernetes"))),
                spec("stateless", 1, with(rollback, HA)),
                spec("stateless", 1, with(rollback, Map.of("high-availability.type", "NONE",
                        "high-availability.storageDir", "s3://f/ha"))),
                spec("stateless", 2, Map.of()),
                spec("stateless", 2, HA));
        for (Map<String, Object> spec : specs) {
            for (Fko release : List.of(Fko.V1_13, Fko.V1_14, Fko.V1_15)) {
                assertEquals(release.validate(spec).size(), FlinkOperatorRules.violations(spec).size(),
                        "FKO " + release + " on " + spec + ": " + release.validate(spec) + " vs "
                                + FlinkOperatorRules.violations(spec));
            }
        }
        assertEquals(List.of(), FlinkOperatorRules.violations(spec("stateless", 2, HA)));
        assertEquals(1, FlinkOperatorRules.violations(spec("stateless", 2, Map.of())).size());
    }
}
