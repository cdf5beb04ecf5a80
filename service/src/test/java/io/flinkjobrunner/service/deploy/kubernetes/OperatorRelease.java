package io.flinkjobrunner.service.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the real operators accept and do, per release, and the CRDs they install: the one place the tests read these
 * facts from, read from the operators' sources at their release tags (apache/flink-kubernetes-operator,
 * strimzi/strimzi-kafka-operator).
 * The schema checks ({@link CrdSchemas}), the real API server harness ({@link RealApiServer}, which installs the CRDs
 * of a release), the admission webhook ({@link TestingAdmissionWebhook}) and the operator doubles
 * ({@link TestingFlinkOperator}, {@link TestingTopicOperator}) all take a release from here.
 */
public final class OperatorRelease {

    /** Annotation naming the release a test installed, so the harness swaps CRDs only when another is wanted. */
    static final String RELEASE_ANNOTATION = "flink-job-runner.test/release";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private OperatorRelease() {
    }

    /**
     * Flink Kubernetes Operator releases.
     *
     * <p>Only the 1.10.0 api jar is on Maven Central here; its {@code META-INF/fabric8/*-v1.yml} are the CRDs that
     * release installs. A newer release's CRD is that CRD with the {@code spec.flinkVersion} enum of the release's own
     * {@code FlinkVersion} Java enum at that release's tag: the one schema difference a deploy of
     * ours can hit, so encoding it is encoding documented real behaviour, not relaxing a schema. Nothing else of the
     * 1.10 schema is changed.
     */
    public enum Fko {
        /** The only FKO api jar on Maven Central here: the CRD the schema checks read. No 2.x value. */
        V1_10("1.10.0", List.of()),
        /** 2025-09. */
        V1_13("1.13.0", List.of("v2_0", "v2_1", "v2_2")),
        /** 2026-02: what the IndustryFusion platform installs. */
        V1_14("1.14.0", List.of("v2_0", "v2_1", "v2_2")),
        /** 2026-05: the first release that knows v2_3. */
        V1_15("1.15.0", List.of("v2_0", "v2_1", "v2_2", "v2_3", "v2_4"));

        /**
         * The validating webhook the FKO chart installs by default (templates/webhook.yaml: one webhook for the
         * {@code flink.apache.org} resources, CREATE and UPDATE, {@code sideEffects: None}, path {@code /validate});
         * the API server names it in a denial.
         */
        public static final String WEBHOOK = "validationwebhook.flink.apache.org";
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
            List<String> all = new ArrayList<>(apiJarFlinkVersions());
            all.addAll(newerThanApiJar);
            return List.copyOf(all);
        }

        /**
         * The FlinkDeployment and FlinkSessionJob CRDs of this release: the api jar's, with this release's
         * {@code flinkVersion} enum, annotated with the release.
         */
        public List<CustomResourceDefinition> crds() {
            List<CustomResourceDefinition> crds = new ArrayList<>();
            for (CustomResourceKind kind : List.of(CustomResourceKind.FLINK_DEPLOYMENT,
                    CustomResourceKind.FLINK_SESSION_JOB)) {
                crds.add(SERIALIZATION.unmarshal(crdYaml(kind), CustomResourceDefinition.class));
            }
            crds.forEach(crd -> crd.getMetadata().setAnnotations(Map.of(RELEASE_ANNOTATION, release)));
            return crds;
        }

        /**
         * The CRD of {@code kind} as this release installs it (YAML): the FlinkDeployment one with the release's
         * {@code flinkVersion} enum, the FlinkSessionJob one (which declares no Flink version) as shipped.
         */
        public String crdYaml(CustomResourceKind kind) {
            CustomResourceDefinition crd = SERIALIZATION.unmarshal(apiJarCrdYaml(kind), CustomResourceDefinition.class);
            if (!kind.equals(CustomResourceKind.FLINK_DEPLOYMENT)) {
                return SERIALIZATION.asYaml(crd);
            }
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                var flinkVersion = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                        .getProperties().get("flinkVersion");
                if (flinkVersion == null || flinkVersion.getEnum() == null) {
                    throw new IllegalStateException("the 1.10 FlinkDeployment CRD has no flinkVersion enum in "
                            + version.getName());
                }
                List<JsonNode> values = new ArrayList<>();
                flinkVersions().forEach(v -> values.add(TextNode.valueOf(v)));
                flinkVersion.setEnum(values);
            }
            return SERIALIZATION.asYaml(crd);
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
            boolean noSavepointDir = blank(configuration, "execution.checkpointing.savepoint-dir",
                    "state.savepoints.dir");
            Object interval = configuration.get("kubernetes.operator.periodic.savepoint.interval");
            if (interval != null && noSavepointDir && !interval.toString().isBlank()
                    && !interval.toString().strip().startsWith("0")) {
                errors.add("Periodic savepoints cannot be enabled when config key[execution.checkpointing."
                        + "savepoint-dir] is not set");
            }
            Object type = configuration.get("high-availability.type");
            if (type == null) {
                type = configuration.get("high-availability");
            }
            boolean ha = type != null && !type.toString().isBlank() && !"NONE".equalsIgnoreCase(type.toString().strip())
                    && !blank(configuration, "high-availability.storageDir");
            if (!ha && "true".equalsIgnoreCase(String.valueOf(configuration.get(
                    "kubernetes.operator.deployment.rollback.enabled")).strip())) {
                errors.add("HA must be enabled for rollback support");
            }
            Map<?, ?> jobManager = spec.get("jobManager") instanceof Map<?, ?> m ? m : Map.of();
            if (!ha && jobManager.get("replicas") instanceof Number n && n.intValue() > 1) {
                errors.add("Kubernetes High availability should be enabled when starting standby JobManagers");
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

        /** The {@code flinkVersion} enum of the api jar's (1.10.0) FlinkDeployment CRD, unmodified. */
        public static List<String> apiJarFlinkVersions() {
            CustomResourceDefinition crd = SERIALIZATION.unmarshal(apiJarCrdYaml(CustomResourceKind.FLINK_DEPLOYMENT),
                    CustomResourceDefinition.class);
            List<String> values = new ArrayList<>();
            crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                    .getProperties().get("flinkVersion").getEnum().forEach(v -> values.add(v.asText()));
            return values;
        }

        /** The api jar's CRD document of {@code kind}, as shipped. */
        public static String apiJarCrdYaml(CustomResourceKind kind) {
            String resource = "META-INF/fabric8/" + kind.crdName() + "-v1.yml";
            try (InputStream in = OperatorRelease.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " (flink-kubernetes-operator-api) is not on the test "
                            + "classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Strimzi releases and the KafkaTopic CRD each installs. Strimzi ships its CRD YAML only in its release bundle, so
     * the build generates it from Strimzi's Java model ({@code io.strimzi:api} 0.49.0) with Strimzi's own
     * {@code CrdGenerator}, with the arguments Strimzi's build passes for its install files and the served and storage
     * versions of each release (tools/strimzi-crds/generate.sh): the real schema, not a transcription.
     *
     * <p>Served versions of 0.49: Strimzi's documentation names {@code v1} and {@code v1beta2}, the two versions this
     * service writes. The release's own model says more: the {@code @Crd} annotation of {@code KafkaTopic} in
     * {@code io.strimzi:api} 0.49.0 declares {@code v1}, {@code v1beta2} (storage), {@code v1beta1} and
     * {@code v1alpha1}, all served, the last three deprecated, and Strimzi's build passes exactly those to the
     * generator. This model follows the release's artifact (a test reads the annotation and the generated CRD); the
     * two older versions change nothing for deploy, which writes {@code v1} when served.
     */
    public enum Strimzi {
        /** What the IndustryFusion platform installs: no v1. */
        V0_45("0.45.0", "v1beta2", List.of("v1beta2", "v1beta1", "v1alpha1")),
        /** v1 beside the deprecated v1beta2 (still the storage version), v1beta1 and v1alpha1. */
        V0_49("0.49.0", "v1beta2", List.of("v1", "v1beta2", "v1beta1", "v1alpha1")),
        /** 2026-04: only v1; any v1beta2 call is a 404. */
        V1_0("1.0.0", "v1", List.of("v1"));

        /** System property naming the directory generate.sh wrote (set by the Maven build). */
        static final String CRDS_PROPERTY = "fjr.strimzi-crds";

        private final String release;
        private final String storageVersion;
        private final List<String> served;

        Strimzi(String release, String storageVersion, List<String> served) {
            this.release = release;
            this.storageVersion = storageVersion;
            this.served = served;
        }

        /** The release number. */
        public String release() {
            return release;
        }

        /** KafkaTopic versions served, newest first. */
        public List<String> servedVersions() {
            return served;
        }

        /** The version KafkaTopics are stored in. */
        public String storageVersion() {
            return storageVersion;
        }

        /** The KafkaTopic CRD as Strimzi's generator wrote it for this release (YAML). */
        public String kafkaTopicCrdYaml() {
            String directory = System.getProperty(CRDS_PROPERTY);
            Path file = directory == null ? null : Path.of(directory, release, "043-Crd-kafkatopic.yaml");
            if (file == null || !Files.isRegularFile(file)) {
                throw new IllegalStateException("no generated KafkaTopic CRD of Strimzi " + release + " at "
                        + CRDS_PROPERTY + "=" + directory + ": the Maven build generates it before the tests "
                        + "(tools/strimzi-crds/generate.sh); run the tests through Maven");
            }
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The KafkaTopic CRD, annotated with this release so the harness can tell which one is installed. */
        public CustomResourceDefinition kafkaTopicCrd() {
            CustomResourceDefinition crd = SERIALIZATION.unmarshal(kafkaTopicCrdYaml(),
                    CustomResourceDefinition.class);
            crd.getMetadata().setAnnotations(Map.of(RELEASE_ANNOTATION, release));
            return crd;
        }
    }
}
