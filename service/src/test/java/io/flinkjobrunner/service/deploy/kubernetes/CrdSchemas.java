package io.flinkjobrunner.service.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Schema checks of the custom resources deploy applies, built on the CRDs of {@link OperatorRelease}: the Flink
 * operator's own CRD (apiextensions v1, from the flink-kubernetes-operator-api 1.10.0 jar on the test classpath,
 * unmodified) and Strimzi's KafkaTopic CRD of each release, generated from Strimzi's model by Strimzi's generator.
 *
 * <p>The api jar is 1.10.0, the only FKO release on Maven Central here; its schema is checked as it is. The one field
 * whose allowed values differ between releases, {@code spec.flinkVersion} (1.10 knows no 2.x value), is checked
 * against the release's list ({@link Fko#flinkVersions()}) instead of the jar's enum: the jar's enum violation is
 * replaced by the release's, never dropped.
 */
public final class CrdSchemas {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLINK_VERSION = "$.spec.flinkVersion";

    private CrdSchemas() {
    }

    /** The {@code flinkVersion} enum of the api jar's (1.10.0) FlinkDeployment CRD. */
    public static List<String> apiJarFlinkVersions() {
        return Fko.apiJarFlinkVersions();
    }

    /** The openAPIV3Schema of a Flink operator {@code kind} as the api jar ships it, unmodified. */
    public static JsonNode schema(CustomResourceKind kind) {
        return versionSchema(read(Fko.apiJarCrdYaml(kind)), kind.version(), kind.crdName());
    }

    /** The openAPIV3Schema of KafkaTopic {@code version} in {@code release}'s generated CRD. */
    public static JsonNode schema(Strimzi release, String version) {
        return versionSchema(read(release.kafkaTopicCrdYaml()), version, CustomResourceKind.KAFKA_TOPIC.crdName());
    }

    private static JsonNode versionSchema(JsonNode crd, String version, String crdName) {
        for (JsonNode candidate : crd.at("/spec/versions")) {
            if (candidate.path("name").asText().equals(version)) {
                return candidate.at("/schema/openAPIV3Schema");
            }
        }
        throw new IllegalStateException("no version " + version + " in the CRD " + crdName);
    }

    /**
     * Violations of a FlinkDeployment (or FlinkSessionJob) against {@code release}'s CRD: the api jar's schema, strict
     * (undeclared fields fail), with {@code spec.flinkVersion} checked against the release's values.
     */
    public static List<String> validate(Fko release, CustomResourceKind kind, Object resource) {
        JsonNode document = document(resource);
        List<String> errors = new ArrayList<>();
        for (String error : OpenApiSchemaValidator.validate(schema(kind), document)) {
            if (!error.startsWith(FLINK_VERSION + ": ") || !error.contains(" is not one of ")) {
                errors.add(error);
            }
        }
        JsonNode version = document.at("/spec/flinkVersion");
        if (version.isTextual() && !release.flinkVersions().contains(version.asText())) {
            errors.add(FLINK_VERSION + ": " + version + " is not one FKO " + release.release() + " accepts "
                    + release.flinkVersions());
        }
        return errors;
    }

    /** Violations of a KafkaTopic against {@code release}: its version must be served, its fields the schema's. */
    public static List<String> validate(Strimzi release, Object resource) {
        JsonNode document = document(resource);
        List<String> errors = new ArrayList<>();
        String apiVersion = document.path("apiVersion").asText();
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        if (!release.servedVersions().contains(version)) {
            errors.add("$.apiVersion: " + apiVersion + " is not served by Strimzi " + release.release()
                    + " (serves " + release.servedVersions() + ")");
            return errors;
        }
        errors.addAll(OpenApiSchemaValidator.validate(schema(release, version), document));
        return errors;
    }

    /**
     * Violations of every object of a {@code plan}'s {@code manifests.yaml} for FKO {@code fko} and Strimzi
     * {@code strimzi}: FlinkDeployments against the FKO CRD and the release's validator rules (stock operator
     * configuration), KafkaTopics against the Strimzi release's CRD, built-in objects against the Kubernetes model.
     */
    public static List<String> violations(String manifestsYaml, Fko fko, Strimzi strimzi) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<String> errors = new ArrayList<>();
        for (String document : manifestsYaml.split("(?m)^---\\n")) {
            if (document.isBlank()) {
                continue;
            }
            HasMetadata object = serialization.unmarshal(document);
            String name = object.getKind() + "/" + object.getMetadata().getName() + ": ";
            if (object instanceof GenericKubernetesResource custom) {
                CustomResourceKind kind = CustomResourceKind.of(custom.getApiVersion(), custom.getKind());
                if (kind == null) {
                    errors.add(name + custom.getApiVersion() + " " + custom.getKind() + " is not a kind deploy writes");
                } else if (kind.sameKind(CustomResourceKind.KAFKA_TOPIC)) {
                    validate(strimzi, custom).forEach(e -> errors.add(name + e));
                } else {
                    validate(fko, kind, custom).forEach(e -> errors.add(name + e));
                    fko.validate((Map<?, ?>) custom.getAdditionalProperties().get("spec"))
                            .forEach(e -> errors.add(name + "FKO " + fko.release() + " validator: " + e));
                }
            } else {
                BuiltInSchemaCheck.validate(document).forEach(e -> errors.add(name + e));
            }
        }
        return errors;
    }

    private static JsonNode document(Object resource) {
        JsonNode document = JSON.valueToTree(new KubernetesSerialization().convertValue(resource, Map.class));
        ((ObjectNode) document).remove("status");
        return document;
    }

    private static JsonNode read(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
