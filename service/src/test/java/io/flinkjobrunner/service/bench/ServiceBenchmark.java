package io.flinkjobrunner.service.bench;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.TestingTarget;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmarks of the job service, run by {@code bin/benchmark-service} (excluded from the normal test run; it asserts
 * correctness only: no subscriber may miss or repeat a line). Parameters: {@code -Dbench.subscribers} (1000),
 * {@code -Dbench.lines} (10000), {@code -Dbench.warmUpLines} (10000, an unreported run first), {@code -Dbench.lineDelayMs} (1), {@code -Dbench.submissions} (2000),
 * {@code -Dbench.submitConcurrency} (32). Results: stdout and {@code target/benchmarks/service.json}.
 */
@QuarkusTest
@Tag("benchmark")
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class ServiceBenchmark {

    @TestHTTPResource("/")
    URL base;

    private final StringBuilder json = new StringBuilder("{");
    /** The SSE client process ({@link SseLoadClient}) and its stdin/stdout. */
    private Process clientProcess;
    private java.io.OutputStream clientIn;
    private java.io.BufferedReader fromClient;

    @Test
    void run() throws Exception {
        clientProcess = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), SseLoadClient.class.getName(), base.getHost(),
                Integer.toString(base.getPort()), Integer.toString(Integer.getInteger("bench.subscribers", 1000)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        clientIn = clientProcess.getOutputStream();
        fromClient = new java.io.BufferedReader(
                new java.io.InputStreamReader(clientProcess.getInputStream(), StandardCharsets.UTF_8));
        try {
            fanouts();
        } finally {
            clientIn.close();
            if (!clientProcess.waitFor(60, TimeUnit.SECONDS)) {
                clientProcess.destroyForcibly();
            }
        }
        submissions();
        Path out = Path.of("target/benchmarks/service.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json.append("}").toString().replace(",}", "}"));
        System.out.println("BENCHMARK JSON " + json);
    }

    private void fanouts() throws Exception {
        int warmUpLines = Integer.getInteger("bench.warmUpLines", 10_000);
        if (warmUpLines > 0) {
            // the same fan-out, shorter and unreported: the JIT compiles the service's and the client's paths first,
            // so the measured run shows a running service rather than a freshly started JVM
            sseFanout(warmUpLines, false);
        }
        sseFanout(Integer.getInteger("bench.lines", 10_000), true);
    }

    private void sseFanout(int lines, boolean report) throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        int delay = Integer.getInteger("bench.lineDelayMs", 1);
        String k = "http://127.0.0.1:9/k";
        String s = "http://127.0.0.1:9/s";
        // both workers wait at a gate so the benchmark job stays QUEUED while the subscribers connect
        CountDownLatch blockers = new CountDownLatch(1);
        String run = Long.toString(System.currentTimeMillis(), 36);
        for (int i = 0; i < 2; i++) {
            TestingTarget.script("bench-block-" + run + "-" + i, new TestingTarget.Script(0, blockers, null, 0));
            Jobs.submit(Jobs.body("bench-block-" + run + "-" + i, "testing", k, s));
        }
        String jobId = "bench-fanout-" + run;
        TestingTarget.script(jobId, new TestingTarget.Script(lines, null, null, delay));
        for (int i = 0; i < 2; i++) {
            Jobs.awaitStatus("bench-block-" + run + "-" + i, Duration.ofSeconds(30), "RUNNING");
        }
        Jobs.submit(Jobs.body(jobId, "testing", k, s));

        clientIn.write(("RUN " + jobId + "\n").getBytes(StandardCharsets.UTF_8));
        clientIn.flush();
        String connectedLine = fromClient.readLine();
        if (connectedLine == null || !connectedLine.startsWith("CONNECTED ")) {
            throw new IllegalStateException("SSE client did not connect: " + connectedLine);
        }
        int failures = Integer.parseInt(connectedLine.substring("CONNECTED ".length()));
        Thread.sleep(1000);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong maxHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        String metricsBefore = given().get("/q/metrics").asString();
        long[] gcBefore = gc();
        blockers.countDown();
        clientIn.write("GO\n".getBytes(StandardCharsets.UTF_8));
        clientIn.flush();
        List<String> streams = new ArrayList<>();
        String latency = null;
        String perSecond = null;
        String done = null;
        for (String l; done == null && (l = fromClient.readLine()) != null; ) {
            if (l.startsWith("STREAM ")) {
                streams.add(l);
            } else if (l.startsWith("LATENCY ")) {
                latency = l;
            } else if (l.startsWith("PER_SECOND ")) {
                perSecond = l.substring("PER_SECOND ".length());
            } else if (l.startsWith("DONE ")) {
                done = l;
            }
        }
        sampler.interrupt();
        if (done == null || latency == null) {
            throw new IllegalStateException("SSE client ended without results");
        }
        String[] d = done.split(" ");
        boolean allDone = Boolean.parseBoolean(d[1]);
        long elapsedNanos = Long.parseLong(d[2]);
        String[] l = latency.split(" ");
        double p50 = Double.parseDouble(l[1]);
        double p99 = Double.parseDouble(l[2]);
        double max = Double.parseDouble(l[3]);
        long samples = Long.parseLong(l[4]);
        double writeSeconds = Long.parseLong(l[5]) / 1e6;

        long lastSeq = given().get("/jobs/" + jobId).then().extract().path("status").equals("SUCCEEDED")
                ? Long.parseLong(io.restassured.RestAssured.given().header("Accept", "text/event-stream")
                .get("/jobs/" + jobId + "/logs").asString().lines().filter(x -> x.startsWith("id: "))
                .reduce((a, b) -> b).orElseThrow().substring(4)) : -1;
        long complete = streams.stream().filter(x -> x.equals("STREAM " + lastSeq + " true")).count();
        long delivered = streams.stream().mapToLong(x -> Long.parseLong(x.split(" ")[1])).sum();
        double seconds = elapsedNanos / 1e9;
        String metricsAfter = given().get("/q/metrics").asString();
        long[] gcAfter = gc();
        long databaseCatchUps = metric(metricsAfter, "fjr_sse_catchups_total{source=\"database\"")
                - metric(metricsBefore, "fjr_sse_catchups_total{source=\"database\"");
        long memoryCatchUps = metric(metricsAfter, "fjr_sse_catchups_total{source=\"memory\"")
                - metric(metricsBefore, "fjr_sse_catchups_total{source=\"memory\"");
        long slowPauses = metric(metricsAfter, "fjr_sse_slow_pauses_total") - metric(metricsBefore,
                "fjr_sse_slow_pauses_total");
        long commitCount = metric(metricsAfter, "fjr_events_commit_seconds_count")
                - metric(metricsBefore, "fjr_events_commit_seconds_count");
        double commitSeconds = metricValue(metricsAfter, "fjr_events_commit_seconds_sum")
                - metricValue(metricsBefore, "fjr_events_commit_seconds_sum");
        double commitMaxMs = metricValue(metricsAfter, "fjr_events_commit_seconds_max") * 1000;
        long lagCount = metric(metricsAfter, "fjr_sse_live_lag_seconds_count")
                - metric(metricsBefore, "fjr_sse_live_lag_seconds_count");
        double lagMeanMs = lagCount == 0 ? 0 : (metricValue(metricsAfter, "fjr_sse_live_lag_seconds_sum")
                - metricValue(metricsBefore, "fjr_sse_live_lag_seconds_sum")) * 1000 / lagCount;
        double lagMaxMs = metricValue(metricsAfter, "fjr_sse_live_lag_seconds_max") * 1000;
        String result = String.format("SSE fan-out: %d subscribers, %d log lines (%d events per stream), "
                        + "line delay %d ms%n  all streams done: %s, complete and in order: %d/%d, connect failures: %d%n"
                        + "  the job wrote its lines in %.2f s (%.0f lines/s offered = %.0f events/s over all streams)%n"
                        + "  elapsed %.2f s, delivered %d events = %.0f events/s%n"
                        + "  during delivery: %d slow-subscriber pauses, %d catch-ups from retained buffers, "
                        + "%d from the database%n"
                        + "  event commits: %d, mean %.1f ms, max %.1f ms (the max of the last minute or so)%n"
                        + "  garbage collections in the service: %d, %d ms in total%n"
                        + "  service side, log call -> written to the sockets of an event loop's subscribers: "
                        + "mean %.1f ms, max %.1f ms (%d deliveries x event loops)%n"
                        + "  end-to-end latency (log call -> client) p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n"
                        + "  max heap used by the service %d MiB (heap max %d MiB)",
                subscribers, lines, lastSeq, delay, allDone, complete, subscribers, failures, writeSeconds,
                lines / writeSeconds, lines * (double) subscribers / writeSeconds, seconds, delivered,
                delivered / seconds, slowPauses, memoryCatchUps, databaseCatchUps, commitCount,
                commitCount == 0 ? 0 : commitSeconds * 1000 / commitCount, commitMaxMs, gcAfter[0] - gcBefore[0],
                gcAfter[1] - gcBefore[1], lagMeanMs, lagMaxMs, lagCount, p50, p99, max, samples,
                maxHeap.get() >> 20, memory.getHeapMemoryUsage().getMax() >> 20);
        assertEquals(subscribers, complete, "every subscriber saw every event exactly once, in order");
        if (!report) {
            System.out.printf("SSE warm-up: %d subscribers x %d lines, p99 %.1f ms%n", subscribers, lines, p99);
            return;
        }
        System.out.println(result);
        System.out.println("  p99 latency by second of writing: " + perSecond);
        json.append(String.format("\"sse\":{\"subscribers\":%d,\"lines\":%d,\"eventsPerStream\":%d,\"lineDelayMs\":%d,"
                        + "\"complete\":%d,\"seconds\":%.3f,\"eventsPerSecond\":%.0f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,"
                        + "\"maxMs\":%.2f,\"maxHeapMiB\":%d,\"writeSeconds\":%.3f,\"slowPauses\":%d,"
                        + "\"memoryCatchUps\":%d,\"databaseCatchUps\":%d},", subscribers, lines, lastSeq, delay,
                complete, seconds, delivered / seconds, p50, p99, max, maxHeap.get() >> 20, writeSeconds, slowPauses, memoryCatchUps, databaseCatchUps));
    }

    private void submissions() throws Exception {
        int n = Integer.getInteger("bench.submissions", 2000);
        int concurrency = Integer.getInteger("bench.submitConcurrency", 32);
        String run = Long.toString(System.currentTimeMillis(), 36);
        // both workers wait at a gate: acceptance is measured on its own, execution afterwards
        CountDownLatch blockers = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            String id = "bench-submit-block-" + run + "-" + i;
            TestingTarget.script(id, new TestingTarget.Script(0, blockers, null, 0));
            Jobs.submit(Jobs.body(id, "testing", "http://127.0.0.1:9/k", "http://127.0.0.1:9/s"));
            Jobs.awaitStatus(id, Duration.ofSeconds(30), "RUNNING");
        }
        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(concurrency)
                .setDefaultHost(base.getHost()).setDefaultPort(base.getPort()));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(n);
        long[] latencies = new long[n];
        long t0 = System.nanoTime();
        Runnable[] submitNext = new Runnable[1];
        submitNext[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n) {
                return;
            }
            long start = System.nanoTime();
            Buffer body = Buffer.buffer(Jobs.body("bench-submit-" + run + "-" + i, "testing", "http://127.0.0.1:9/k",
                    "http://127.0.0.1:9/s"), StandardCharsets.UTF_8.name());
            client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/jobs")
                            .addHeader("Content-Type", "application/json"))
                    .compose(req -> req.send(body))
                    .onComplete(ar -> {
                        latencies[i] = System.nanoTime() - start;
                        if (ar.succeeded() && ar.result().statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                        all.countDown();
                        submitNext[0].run();
                    });
        };
        for (int c = 0; c < concurrency; c++) {
            submitNext[0].run();
        }
        all.await(600, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        client.close();
        clientVertx.close();
        long[] lat = Arrays.stream(latencies).map(x -> x / 1000).sorted().toArray();
        // then let the pool (runner.jobs.concurrency=2) run them: 3 steps and ~20 durable events per job
        long e0 = System.nanoTime();
        blockers.countDown();
        Jobs.awaitStatus("bench-submit-" + run + "-" + (n - 1), Duration.ofSeconds(900), "SUCCEEDED");
        while (given().get("/jobs?status=QUEUED&limit=1").then().extract().jsonPath().getLong("count") > 0
                || given().get("/jobs?status=RUNNING&limit=1").then().extract().jsonPath().getLong("count") > 0) {
            Thread.sleep(100);
        }
        double execSeconds = (System.nanoTime() - e0) / 1e9;
        String result = String.format("Submissions: %d POST /jobs with %d concurrent clients: %d accepted, %d other, "
                        + "%.2f s = %.0f jobs accepted/s, latency p50 %.1f ms, p99 %.1f ms%n"
                        + "  then executed by 2 workers in %.2f s = %.0f jobs/s", n, concurrency,
                accepted.get(), other.get(), seconds, accepted.get() / seconds, pct(lat, 50), pct(lat, 99),
                execSeconds, n / execSeconds);
        System.out.println(result);
        json.append(String.format("\"submissions\":{\"requests\":%d,\"concurrency\":%d,\"accepted\":%d,\"seconds\":%.3f,"
                        + "\"acceptedPerSecond\":%.0f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"executedPerSecond\":%.0f}", n,
                concurrency, accepted.get(), seconds, accepted.get() / seconds, pct(lat, 50), pct(lat, 99),
                n / execSeconds));
        assertEquals(n, accepted.get());
    }

    /** Collections and their accumulated time (ms) over all collectors of this JVM. */
    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (var bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, bean.getCollectionCount());
            millis += Math.max(0, bean.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Value of a Prometheus sample whose line starts with {@code prefix} (0 if absent). */
    private static long metric(String exposition, String prefix) {
        return (long) metricValue(exposition, prefix);
    }

    private static double metricValue(String exposition, String prefix) {
        return exposition.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }

    private static double pct(long[] sortedMicros, int p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.min(sortedMicros.length - 1, Math.ceil(p / 100.0 * sortedMicros.length) - 1);
        return sortedMicros[Math.max(0, idx)] / 1000.0;
    }
}
