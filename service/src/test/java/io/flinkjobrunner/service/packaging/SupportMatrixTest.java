package io.flinkjobrunner.service.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flinkjobrunner.service.config.DeployConfig;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkVersions;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The support matrix holds together: the Flink release of the build (root pom), of the Flink image (its Dockerfile's
 * FROM line and connector), of the service's runtime and the declared {@code flinkVersion} default agree, and FKO
 * 1.13, 1.14 and 1.15 accept it; the images the chart and k8s-deployment.yaml reference are the ones the documented
 * command and the CI workflow build, from this repository's Dockerfiles.
 */
class SupportMatrixTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static String pomProperty(String name) throws IOException {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(
                Files.readString(ServiceManifests.ROOT.resolve("pom.xml")));
        assertTrue(matcher.find(), name + " in the root pom");
        return matcher.group(1).trim();
    }

    private static DeployConfig defaults() {
        return new SmallRyeConfigBuilder().withMapping(DeployConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()).build()
                .getConfigMapping(DeployConfig.class);
    }

    @Test
    void theImageTheBuildAndTheDeclaredFlinkVersionAgree() throws IOException {
        String flink = pomProperty("flink.version");
        assertEquals(flink, FlinkVersions.runtime(), "the service runs the pom's Flink");
        List<DockerfileTest.Instruction> instructions = DockerfileTest.parse(
                ServiceManifests.ROOT.resolve("docker/flink/Dockerfile"));
        List<String> froms = instructions.stream().filter(i -> i.keyword().equals("FROM"))
                .map(i -> i.arguments().split("\\s+")[0]).toList();
        assertEquals("flink:" + flink + "-java17", froms.get(froms.size() - 1), "the Flink image's runtime base");
        String connector = pomProperty("flink.kafka.connector.version");
        assertTrue(instructions.stream().anyMatch(i -> i.arguments().contains(
                "flink-sql-connector-kafka:" + connector)), "the image's Kafka connector is the pom's " + connector);
        assertTrue(connector.endsWith("-" + flink.substring(0, flink.lastIndexOf('.'))),
                "the connector " + connector + " is built for Flink " + flink);
        DeployConfig defaults = defaults();
        assertEquals(FlinkVersions.operatorVersion(flink), defaults.flink().version(), "declared flinkVersion");
        assertEquals(defaults.flink().version(), defaults.settings().flink().flinkVersion());
        for (Fko fko : List.of(Fko.V1_13, Fko.V1_14, Fko.V1_15)) {
            assertTrue(fko.flinkVersions().contains(defaults.flink().version()), "FKO " + fko.release()
                    + " accepts " + defaults.flink().version());
        }
    }

    @Test
    void theReadmeDeclaresTheMatrixTheTestsEnforce() throws IOException {
        String readme = Files.readString(ServiceManifests.ROOT.resolve("README.md"));
        assertTrue(readme.contains("| Flink (image and runtime) | " + FlinkVersions.runtime() + " (`flinkVersion: "
                + FlinkVersions.runtimeOperatorVersion() + "`)"), "README support matrix names the Flink release");
        assertTrue(readme.contains("| Flink Kubernetes Operator | 1.13, 1.14, 1.15 |"), "README names FKO");
        assertTrue(readme.contains("| Strimzi | 0.45 (`kafka.strimzi.io/v1beta2`), 0.49 and 1.x (`v1`) |"),
                "README names Strimzi");
    }

    @Test
    void theDocumentedCommandAndTheWorkflowBuildTheImagesTheManifestsReference(@TempDir Path dir) throws Exception {
        JsonNode values = YAML.readTree(ServiceManifests.CHART.resolve("values.yaml").toFile());
        String tag = YAML.readTree(ServiceManifests.CHART.resolve("Chart.yaml").toFile()).path("appVersion").asText();
        String serviceImage = values.at("/image/repository").asText() + ":" + values.at("/image/tag").asText();
        String flinkImage = values.at("/flink/image").asText();
        assertEquals(values.at("/image/repository").asText().replaceAll("/flink-job-runner$", "")
                + "/flink-job-runner-flink:" + tag, flinkImage, "both images under one registry, the chart's tag");
        assertEquals(tag, values.at("/image/tag").asText());
        String plain = ServiceManifests.plainManifests();
        assertTrue(plain.contains("image: " + serviceImage) && plain.contains("value: " + flinkImage),
                "k8s-deployment.yaml references the same images");
        assertTrue(Files.readString(ServiceManifests.ROOT.resolve("service/src/main/java/io/flinkjobrunner/service/"
                + "config/DeployConfig.java")).contains("@WithDefault(\"" + flinkImage + "\")"),
                "the service's default Flink image is the chart's");

        // Run the documented command with a docker that records what it is asked to do.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("docker.log");
        Path docker = bin.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\necho \"$@\" >> " + log + "\n");
        assertTrue(docker.toFile().setExecutable(true));
        String registry = values.at("/image/repository").asText().replaceAll("/flink-job-runner$", "");
        ProcessBuilder build = new ProcessBuilder("bash", "bin/build-images", "--push", registry)
                .directory(ServiceManifests.ROOT.toFile()).redirectErrorStream(true);
        build.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = build.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        assertEquals(List.of("build -f Dockerfile -t " + serviceImage + " .",
                "build -f docker/flink/Dockerfile -t " + flinkImage + " .",
                "push " + serviceImage, "push " + flinkImage), Files.readAllLines(log));

        JsonNode workflow = YAML.readTree(ServiceManifests.ROOT.resolve(".github/workflows/images.yml").toFile());
        List<String> runs = new ArrayList<>();
        workflow.at("/jobs/images/steps").forEach(step -> runs.add(step.path("run").asText()));
        assertTrue(runs.stream().anyMatch(r -> r.contains("bin/build-images --push \"ghcr.io/$owner\"")), runs.toString());
        assertTrue(workflow.at("/permissions/packages").asText().equals("write"), "the workflow may push packages");
        assertTrue(serviceImage.startsWith("ghcr.io/"), "the chart's default registry is the workflow's");
    }
}
