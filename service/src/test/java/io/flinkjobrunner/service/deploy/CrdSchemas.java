package io.flinkjobrunner.service.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flinkjobrunner.service.deploy.spec.CustomResourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The CRDs of the custom resources deploy applies: the Flink operator's own CRD YAML (from the
 * flink-kubernetes-operator-api jar on the test classpath) and the transcribed Strimzi KafkaTopic CRD.
 */
public final class CrdSchemas {

    /** Flink versions newer operators accept; the newest operator-api in the repository (1.10.0) stops at v1_20. */
    public static final List<String> NEWER_FLINK_VERSIONS = List.of("v2_0", "v2_1", "v2_2", "v2_3");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CrdSchemas() {
    }

    /** Classpath resource of the CRD of {@code kind}. */
    public static String resource(CustomResourceKind kind) {
        return kind == CustomResourceKind.KAFKA_TOPIC
                ? "crds/kafkatopics.kafka.strimzi.io.yaml"
                : "META-INF/fabric8/" + kind.crdName() + "-v1beta1.yml";
    }

    /** The CRD document of {@code kind} as shipped. */
    public static String crdYaml(CustomResourceKind kind) {
        try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(resource(kind))) {
            if (in == null) {
                throw new IllegalStateException("CRD " + resource(kind) + " is not on the test classpath");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The openAPIV3Schema of {@code kind}, with the Flink versions of newer operators added to the enum. */
    public static JsonNode schema(CustomResourceKind kind) {
        try {
            JsonNode crd = YAML.readTree(crdYaml(kind));
            JsonNode schema = crd.at("/spec/validation/openAPIV3Schema");
            if (schema.isMissingNode()) {
                for (JsonNode version : crd.at("/spec/versions")) {
                    if (version.path("name").asText().equals(kind.version())) {
                        schema = version.at("/schema/openAPIV3Schema");
                    }
                }
            }
            JsonNode flinkVersion = schema.at("/properties/spec/properties/flinkVersion/enum");
            if (flinkVersion instanceof ArrayNode versions) {
                NEWER_FLINK_VERSIONS.forEach(versions::add);
            }
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validates a custom resource (as a JSON-able map or fabric8 object) against its CRD; returns the violations. */
    public static List<String> validate(CustomResourceKind kind, Object resource) {
        JsonNode document = new ObjectMapper().valueToTree(
                new io.fabric8.kubernetes.client.utils.KubernetesSerialization().convertValue(resource, Map.class));
        ((ObjectNode) document).remove("status");
        return OpenApiSchemaValidator.validate(schema(kind), document);
    }
}
