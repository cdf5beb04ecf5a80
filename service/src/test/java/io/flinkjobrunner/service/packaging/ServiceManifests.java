package io.flinkjobrunner.service.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The service's own manifests: k8s-deployment.yaml and the Helm chart rendered by a real Helm (helm-java). */
public final class ServiceManifests {

    /** Repository root (tests run in the service module). */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The chart directory. */
    public static final Path CHART = ROOT.resolve("helm/flink-job-runner");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ServiceManifests() {
    }

    /** k8s-deployment.yaml as text. */
    public static String plainManifests() throws IOException {
        return Files.readString(ROOT.resolve("k8s-deployment.yaml"));
    }

    /** The values the chart documents as required without a default: where Flink keeps its state. */
    public static final Map<String, Object> REQUIRED_VALUES = Map.of("flink.stateDir", "s3://flink-state/fjr");

    /**
     * {@code helm template fjr <chart> --namespace iff} with the {@link #REQUIRED_VALUES} and {@code values} set
     * ({@code values} win; an empty string unsets a required value).
     */
    public static String helmTemplate(Map<String, Object> values) {
        var template = new Helm(CHART).template().withName("fjr").withNamespace("iff").withKubeVersion("1.32.0");
        Map<String, Object> all = new java.util.LinkedHashMap<>(REQUIRED_VALUES);
        all.putAll(values);
        all.forEach(template::set);
        return template.call();
    }

    /** The documents of a multi-document YAML text, empty documents dropped. */
    public static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    /** The single document of {@code kind}. */
    public static JsonNode only(List<JsonNode> documents, String kind) {
        List<JsonNode> matching = documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + matching.size());
        }
        return matching.get(0);
    }
}
