package io.flinkjobrunner.service.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.service.testing.InputServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job that exhausts the heap of the packaged service (256 MiB; a knowledge graph whose class hierarchy is one chain of
 * 6,000 classes, so its closure has 18 million pairs) ends FAILED saying so, and the replica goes on.
 *
 * <p>Run with the serial collector (the JVM's choice in a container of one CPU) and with G1. With the serial
 * collector the heap fills slowly and the JVM's own error came only after minutes of back-to-back full collections (a
 * CI machine waited 300 s for it); the heap guard of the growing loops ends the build at the first full collection
 * that leaves the heap full. With G1 the JVM's own error may still come first, in whichever threads allocate at that
 * moment (the job's worker, the event writer, …), and none of them may take the replica's job processing down with
 * it. Afterwards the replica runs the next jobs with all its workers and its liveness is UP.
 */
class OutOfMemoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseSerialGC", "-XX:+UseG1GC"})
    void aJobThatExhaustsTheHeapFailsSayingSoAndTheReplicaRunsTheNextJobs(String collector) throws Exception {
        Path kms = Path.of(System.getProperty("fjr.kms.dir", "../work/kms"));
        Path workDir = Files.createTempDirectory("fjr-it-oom");
        try (InputServer inputs = new InputServer(); PackagedService service = new PackagedService(workDir)) {
            inputs.put("/knowledge.ttl", Files.readString(kms.resolve("knowledge.ttl")))
                    .put("/shacl.ttl", Files.readString(kms.resolve("shacl.ttl")))
                    .put("/chain.ttl", chain(6_000));
            String base = service.base();
            Process process = service.start("oom", Map.of("RUNNER_JOBS_CONCURRENCY", "2"), "256m", collector);
            service.awaitReady(process);

            submit(service, "oom-build", inputs.url("/chain.ttl"), inputs.url("/shacl.ttl"));
            JsonNode failed = service.awaitStatus("oom-build", Duration.ofSeconds(120), "SUCCEEDED", "FAILED");
            assertEquals("FAILED", failed.path("status").asText(), failed.toString());
            String error = failed.path("lastError").asText();
            assertTrue(error.startsWith("out of memory in step compile (Java heap space"), error);
            assertTrue(error.contains("; the service's heap limit is "), error);
            assertTrue(error.contains("); inputs: knowledge ") && error.endsWith(
                    ". Give the service more memory or use smaller inputs"), error);

            for (String id : List.of("after-oom-1", "after-oom-2", "after-oom-3")) {
                submit(service, id, inputs.url("/knowledge.ttl"), inputs.url("/shacl.ttl"));
            }
            for (String id : List.of("after-oom-1", "after-oom-2", "after-oom-3")) {
                JsonNode job = service.awaitStatus(id, Duration.ofSeconds(120), "SUCCEEDED", "FAILED");
                assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
            }
            HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode(), live.body());
            JsonNode workers = JSON.readTree(live.body()).path("checks").findParent("workers");
            assertEquals(2, workers.path("workers").asInt(), live.body());
            assertTrue(process.isAlive(), "the replica is still running");
            String log = Files.readString(service.log("oom"));
            System.out.printf("%s: OutOfMemoryErrors in the replica's log: %d (threads: %s); %s%n", collector,
                    log.split("OutOfMemoryError", -1).length - 1, threadsNamed(log), error);
        }
    }

    /** A class hierarchy that is one chain: {@code c1 ⊑ c0, c2 ⊑ c1, …}, whose closure is quadratic. */
    private static String chain(int classes) {
        StringBuilder ttl = new StringBuilder("@prefix : <https://industry-fusion.org/base/v0.1/> .\n"
                + "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                + "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
                + "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n:c0 rdf:type owl:Class .\n");
        for (int i = 1; i < classes; i++) {
            ttl.append(":c").append(i).append(" rdf:type owl:Class ; rdfs:subClassOf :c").append(i - 1).append(" .\n");
        }
        return ttl.toString();
    }

    private static String threadsNamed(String log) {
        StringBuilder out = new StringBuilder();
        for (String line : log.split("\n")) {
            if (line.contains("OutOfMemoryError")) {
                int open = line.indexOf('(');
                int close = line.indexOf(')', open + 1);
                out.append(open >= 0 && close > open ? line.substring(open + 1, close) : line.strip()).append("; ");
            }
        }
        return out.toString();
    }

    private static void submit(PackagedService service, String id, String knowledge, String shacl) throws Exception {
        service.submit("{\"jobId\":\"" + id + "\",\"target\":\"build\",\"urls\":{\"knowledge\":\"" + knowledge
                + "\",\"shacl\":\"" + shacl + "\"}}");
    }
}
