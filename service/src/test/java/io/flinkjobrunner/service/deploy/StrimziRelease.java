package io.flinkjobrunner.service.deploy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Strimzi release and the KafkaTopic CRD it installs. Strimzi ships its CRD YAML only in its release bundle, so the
 * build generates it from Strimzi's Java model ({@code io.strimzi:api}) with Strimzi's own {@code CrdGenerator}, with
 * the arguments Strimzi's build passes for its install files and the served and storage versions of each release
 * (tools/strimzi-crds/generate.sh; ../shared/docs/REFERENCE-OPERATORS.md): the real schema, not a transcription.
 */
public enum StrimziRelease {

    /** 0.45 (what the IndustryFusion platform installs): v1beta2 (storage), v1beta1, v1alpha1; no v1. */
    STRIMZI_0_45("0.45.0"),
    /** 0.49: v1 beside the deprecated v1beta2 (storage), v1beta1 and v1alpha1. */
    STRIMZI_0_49("0.49.0"),
    /** 1.0 and later: v1 only; any v1beta2 call is a 404. */
    STRIMZI_1("1.0.0");

    /** System property naming the directory generate.sh wrote (set by the Maven build). */
    static final String CRDS_PROPERTY = "fjr.strimzi-crds";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final String version;

    StrimziRelease(String version) {
        this.version = version;
    }

    /** The release, e.g. {@code 0.45.0}. */
    public String version() {
        return version;
    }

    /** The KafkaTopic CRD as Strimzi's generator wrote it (YAML). */
    public String kafkaTopicCrdYaml() {
        String directory = System.getProperty(CRDS_PROPERTY);
        Path file = directory == null ? null : Path.of(directory, version, "043-Crd-kafkatopic.yaml");
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalStateException("no generated KafkaTopic CRD of Strimzi " + version + " at "
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
        CustomResourceDefinition crd = SERIALIZATION.unmarshal(kafkaTopicCrdYaml(), CustomResourceDefinition.class);
        crd.getMetadata().setAnnotations(Map.of(FlinkOperatorRelease.RELEASE_ANNOTATION, version));
        return crd;
    }

    /** The KafkaTopic versions this release serves, as its CRD declares them. */
    public List<String> servedVersions() {
        return kafkaTopicCrd().getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getServed)
                .map(CustomResourceDefinitionVersion::getName).toList();
    }
}
