package io.flinkjobrunner.service.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged service ({@code java -jar quarkus-run.jar}, no configuration: embedded PostgreSQL, local engine) as
 * child processes of a test, each on a work directory and port of the test's choosing, with the settings the README
 * uses ({@code RUNNER_DOWNLOAD_ALLOW_HOSTS=127.0.0.1}). {@link #close()} stops every process still alive.
 */
final class PackagedService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofSeconds(180);

    private final Path workDir;
    private final int port;
    private final List<Process> processes = new ArrayList<>();

    /** A service on a free port; nothing runs until {@link #start}. */
    PackagedService(Path workDir) throws IOException {
        this.workDir = workDir;
        this.port = freePort();
    }

    /** The service's base URL, {@code http://127.0.0.1:<port>}. */
    String base() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Starts a service process on the work directory and port; its output goes to {@code <workDir>/<name>.log}.
     *
     * @param env extra environment variables (e.g. {@code RUNNER_JOBS_CONCURRENCY})
     */
    Process start(String name, Map<String, String> env) throws IOException {
        return start(name, env, "768m");
    }

    /**
     * Starts a service process as {@link #start(String, Map)} does, with the heap limited to {@code maxHeap}
     * ({@code -Xmx}) and the JVM options {@code jvmOptions} (e.g. a garbage collector).
     */
    Process start(String name, Map<String, String> env, String maxHeap, String... jvmOptions) throws IOException {
        Path jar = Path.of(System.getProperty("fjr.service.jar", "target/quarkus-app/quarkus-run.jar"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("RUNNER_WORK_DIR", workDir.toString());
        pb.environment().put("RUNNER_DOWNLOAD_ALLOW_HOSTS", "127.0.0.1");
        // the background planner warm-up would compete with these tests for the cores and the 768 MiB heap
        pb.environment().put("RUNNER_BUILD_PLANNER_WARM_UP", "false");
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log(name).toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** The output file of the process started as {@code name}. */
    Path log(String name) {
        return workDir.resolve(name + ".log");
    }

    /** Waits until {@code /q/health/ready} answers 200 and returns how long that took, in milliseconds. */
    long awaitReady(Process p) throws Exception {
        Instant t0 = Instant.now();
        Instant deadline = t0.plus(READY);
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError("service exited with " + p.exitValue() + ", see " + workDir);
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return Duration.between(t0, Instant.now()).toMillis();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("service not ready within " + READY.toSeconds() + " s, see " + workDir);
    }

    /** Posts a job request to {@code /jobs} and asserts it was accepted (202). */
    void submit(String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    /** The job as {@code GET /jobs/{id}} answers. */
    JsonNode job(String id) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/jobs/" + id))
                .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /**
     * Waits up to {@code wait} until the job's status is one of {@code states}; returns the job. A connection the
     * service drops meanwhile, or a response lost with it (e.g. its heap exhausted by a job, which closes HTTP/2
     * connections with GOAWAY), is polled again on a new one.
     */
    JsonNode awaitStatus(String id, Duration wait, String... states) throws Exception {
        Instant deadline = Instant.now().plus(wait);
        Object last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                JsonNode j = job(id);
                if (List.of(states).contains(j.path("status").asText())) {
                    return j;
                }
                last = j;
            } catch (IOException dropped) {
                last = dropped;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " not in " + List.of(states) + " within " + wait.toSeconds() + " s: "
                + last);
    }

    /** Stops every process still alive: SIGTERM (graceful shutdown), SIGKILL after a minute. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
