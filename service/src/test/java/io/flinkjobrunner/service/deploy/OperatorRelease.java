package io.flinkjobrunner.service.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the real operators accept and do, per release: the one place the tests read these facts from
 * (shared/docs/REFERENCE-OPERATORS.md, checked against the operators' sources at their release tags). The schema checks
 * ({@link CrdSchemas}), the API server double ({@link TestingApiServer}) and the operator doubles
 * ({@link TestingFlinkOperator}, {@link TestingTopicOperator}) all take a release from here.
 */
public final class OperatorRelease {

    private OperatorRelease() {
    }

    /** Flink Kubernetes Operator releases. */
    public enum Fko {
        /** The only FKO api jar on Maven Central here: the CRD the schema checks read. No 2.x value. */
        V1_10("1.10.0", List.of()),
        /** 2025-09. */
        V1_13("1.13.0", List.of("v2_0", "v2_1", "v2_2")),
        /** 2026-02: what the IndustryFusion platform installs. */
        V1_14("1.14.0", List.of("v2_0", "v2_1", "v2_2")),
        /** 2026-05: the first release that knows v2_3. */
        V1_15("1.15.0", List.of("v2_0", "v2_1", "v2_2", "v2_3", "v2_4"));

        /** The webhook the FKO chart installs by default; its denials name it. */
        public static final String WEBHOOK = "vflinkdeployments.flink.apache.org";
        /** The finalizer the operator adds to the FlinkDeployments it manages. */
        public static final String FINALIZER = "flinkdeployments.flink.apache.org/finalizer";

        private final String release;
        private final List<String> newerThanApiJar;

        Fko(String release, List<String> newerThanApiJar) {
            this.release = release;
            this.newerThanApiJar = newerThanApiJar;
        }

        /** The release number. */
        public String release() {
            return release;
        }

        /** {@code spec.flinkVersion} values the release's CRD enum (= its FlinkVersion Java enum) holds. */
        public List<String> flinkVersions() {
            List<String> all = new ArrayList<>(CrdSchemas.apiJarFlinkVersions());
            all.addAll(newerThanApiJar);
            return List.copyOf(all);
        }

        /**
         * The messages of {@code DefaultValidator} (identical rules in 1.10–1.14; 1.15 is documented with the same
         * rules) for a FlinkDeployment {@code spec}, with the stock operator configuration (which sets no state
         * directory, so only the spec's {@code flinkConfiguration} counts). Transcribed independently of the
         * production check so that a shared misreading cannot make both agree.
         */
        public List<String> validate(Map<?, ?> spec) {
            Map<?, ?> configuration = spec.get("flinkConfiguration") instanceof Map<?, ?> c ? c : Map.of();
            Map<?, ?> job = spec.get("job") instanceof Map<?, ?> j ? j : Map.of();
            List<String> errors = new ArrayList<>();
            Object mode = job.get("upgradeMode");
            if (("savepoint".equals(mode) || "last-state".equals(mode))
                    && blank(configuration, "execution.checkpointing.dir", "state.checkpoints.dir")) {
                errors.add("Checkpoint directory[execution.checkpointing.dir] must be defined for last-state and "
                        + "savepoint upgrade modes");
            }
            if ("savepoint".equals(mode)
                    && blank(configuration, "execution.checkpointing.savepoint-dir", "state.savepoints.dir")) {
                errors.add("Job could not be upgraded with savepoint while config key[execution.checkpointing."
                        + "savepoint-dir] is not set");
            }
            return errors;
        }

        private static boolean blank(Map<?, ?> configuration, String... keys) {
            for (String key : keys) {
                Object value = configuration.get(key);
                if (value != null && !value.toString().isBlank()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Strimzi releases. */
    public enum Strimzi {
        /** What the IndustryFusion platform installs. */
        V0_45("0.45.0", List.of("v1beta2", "v1beta1", "v1alpha1")),
        /** v1beta2 still served, deprecated. */
        V0_49("0.49.0", List.of("v1", "v1beta2")),
        /** 2026-04: only v1; any v1beta2 call is a 404. */
        V1_0("1.0.0", List.of("v1"));

        private final String release;
        private final List<String> served;

        Strimzi(String release, List<String> served) {
            this.release = release;
            this.served = served;
        }

        /** The release number. */
        public String release() {
            return release;
        }

        /** KafkaTopic versions served, the storage version first. */
        public List<String> servedVersions() {
            return served;
        }
    }
}
