package io.flinkjobrunner.service.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkjobrunner.service.testing.InputServer;
import io.flinkjobrunner.service.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service (java -jar quarkus-run.jar, embedded PostgreSQL, no configuration) killed with SIGKILL in the
 * middle of a job and started again on the same work directory: the interrupted job is resumed as a second attempt
 * and succeeds (its first attempt recorded as lost), the queued job runs, and every log line a client saw before the
 * kill is still there, unchanged.
 */
class CrashRestartIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void killNineMidJobThenRestartKeepsEveryAcknowledgedLine() throws Exception {
        Path kms = Path.of(System.getProperty("fjr.kms.dir", "../work/kms"));
        Path workDir = Files.createTempDirectory("fjr-it-work");
        Map<String, String> env = Map.of("RUNNER_JOBS_CONCURRENCY", "1", "RUNNER_NODE_ID", "it-node");
        try (InputServer inputs = new InputServer(); PackagedService service = new PackagedService(workDir)) {
            inputs.put("/knowledge.ttl", Files.readString(kms.resolve("knowledge.ttl")))
                    .put("/shacl.ttl", Files.readString(kms.resolve("shacl.ttl")));
            String base = service.base();

            Process first = service.start("first", env);
            long started = service.awaitReady(first);
            System.out.printf("packaged service ready after %d ms (embedded PostgreSQL initialised)%n", started);

            // the first download stalls (the process is killed in it); the resumed attempt gets the document
            service.submit("{\"jobId\":\"crash-running\",\"target\":\"validate\",\"urls\":{\"knowledge\":\""
                    + inputs.url("/stall-once/knowledge.ttl") + "\",\"shacl\":\"" + inputs.url("/shacl.ttl") + "\"}}");
            service.awaitStatus("crash-running", Duration.ofSeconds(120), "RUNNING");
            service.submit("{\"jobId\":\"crash-queued\",\"target\":\"validate\",\"urls\":{\"knowledge\":\""
                    + inputs.url("/knowledge.ttl") + "\",\"shacl\":\"" + inputs.url("/shacl.ttl") + "\"}}");
            assertEquals("QUEUED", service.job("crash-queued").path("status").asText());

            // a client reads the log while the job hangs in its download
            List<SseClient.Frame> seen = readUntil(URI.create(base + "/jobs/crash-running/logs"), "download");
            Map<String, String> acknowledged = new LinkedHashMap<>();
            for (SseClient.Frame f : seen) {
                if (f.id() != null) {
                    acknowledged.put(f.id(), f.data());
                }
            }
            assertTrue(acknowledged.size() >= 4, "lines seen before the kill: " + acknowledged);

            first.destroyForcibly();   // SIGKILL: no shutdown hook, the postmaster is orphaned
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));

            Process second = service.start("second", env);
            long restarted = service.awaitReady(second);
            System.out.printf("restarted after kill -9 in %d ms%n", restarted);

            JsonNode resumed = service.awaitStatus("crash-running", Duration.ofSeconds(120), "SUCCEEDED", "FAILED");
            assertEquals("SUCCEEDED", resumed.path("status").asText(), resumed.toString());
            assertEquals(2, resumed.path("attempt").asInt());
            assertEquals("LOST", resumed.at("/attempts/0/outcome").asText());
            assertTrue(resumed.at("/attempts/0/detail").asText().contains("is gone (its database session ended)")
                    || resumed.at("/attempts/0/detail").asText().contains("stopped renewing its lease"),
                    resumed.toString());
            assertEquals("SUCCEEDED", resumed.at("/attempts/1/outcome").asText());
            JsonNode queued = service.awaitStatus("crash-queued", Duration.ofSeconds(120), "SUCCEEDED", "FAILED");
            assertEquals("SUCCEEDED", queued.path("status").asText(), queued.toString());

            List<SseClient.Frame> replay = SseClient.read(URI.create(base + "/jobs/crash-running/logs"), null,
                    Integer.MAX_VALUE, Duration.ofSeconds(30));
            Map<String, String> after = new LinkedHashMap<>();
            for (SseClient.Frame f : replay) {
                if (f.id() != null) {
                    after.put(f.id(), f.data());
                }
            }
            acknowledged.forEach((id, data) -> assertEquals(data, after.get(id), "line " + id + " after restart"));
            assertEquals("done", replay.get(replay.size() - 1).event());
            assertEquals("{\"status\":\"SUCCEEDED\"}", replay.get(replay.size() - 1).data());
            String replayed = String.join("\n", after.values());
            assertTrue(replayed.contains("Attempt 1 was lost"), replayed);
            assertTrue(replayed.contains("Starting attempt 2 of job crash-running"), replayed);

            // a graceful stop and another start: still the same jobs (data persists in the work directory)
            second.destroy();
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "graceful stop");
            Process third = service.start("third", env);
            service.awaitReady(third);
            assertEquals("SUCCEEDED", service.job("crash-running").path("status").asText());
            assertEquals("SUCCEEDED", service.job("crash-queued").path("status").asText());
            String plain = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/jobs/crash-queued/logs")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(plain.contains("Parsed knowledge.ttl"), plain);
            // the packaged service also serves the web page, the API documentation and the reference's probe
            for (String path : List.of("/", "/app.js", "/q/swagger-ui/", "/q/openapi", "/healthz")) {
                assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), path);
            }
            HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/no/such/page"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElse(""));
        }
    }

    private static List<SseClient.Frame> readUntil(URI uri, String step) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            // the stream stays open while the job hangs: read a bounded number of frames
            List<SseClient.Frame> frames = SseClient.read(uri, null, 6, Duration.ofSeconds(30));
            boolean inStep = frames.stream().anyMatch(f -> f.data() != null && f.data().contains("\"step\":\"" + step
                    + "\""));
            if (inStep) {
                return frames;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("step " + step + " never started");
    }
}
