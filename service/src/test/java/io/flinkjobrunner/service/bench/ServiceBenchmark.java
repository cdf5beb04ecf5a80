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
import java.time.Instant;
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
 * {@code -Dbench.lines} (10000), {@code -Dbench.lineDelayMs} (1), {@code -Dbench.submissions} (2000),
 * {@code -Dbench.submitConcurrency} (32). Results: stdout and {@code target/benchmarks/service.json}.
 */
@QuarkusTest
@Tag("benchmark")
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class ServiceBenchmark {

    @TestHTTPResource("/")
    URL base;

    private final StringBuilder json = new StringBuilder("{");

    @Test
    void run() throws Exception {
        sseFanout();
        submissions();
        Path out = Path.of("target/benchmarks/service.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json.append("}").toString().replace(",}", "}"));
        System.out.println("BENCHMARK JSON " + json);
    }

    /**
     * One subscriber: counts frames, checks that ids are 1, 2, 3, … and, for sampled subscribers, measures end-to-end
     * latency from the line's timestamp. Parses bytes without building strings (the client shares the 2 cores).
     */
    private static final class Subscriber {
        final boolean sampleLatency;
        long expectedNext = 1;
        long events;
        boolean ordered = true;
        boolean done;
        final List<Long> latenciesMicros = new ArrayList<>();
        private final byte[] line = new byte[256];
        private int length;
        private boolean logEvent;

        Subscriber(boolean sampleLatency) {
            this.sampleLatency = sampleLatency;
        }

        void accept(Buffer buffer) {
            byte[] bytes = buffer.getBytes();
            long now = -1;
            for (byte b : bytes) {
                if (b == '\n') {
                    if (sampleLatency && logEvent && length > 6 && line[0] == 'd' && now < 0) {
                        Instant t = Instant.now();
                        now = t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
                    }
                    endLine(now);
                    length = 0;
                } else if (length < line.length) {
                    line[length++] = b;
                }
            }
        }

        private void endLine(long nowMicros) {
            if (length > 4 && line[0] == 'i' && line[1] == 'd' && line[2] == ':') {
                long id = 0;
                for (int i = 4; i < length; i++) {
                    id = id * 10 + (line[i] - '0');
                }
                if (id != expectedNext) {
                    ordered = false;
                }
                expectedNext = id + 1;
                events++;
            } else if (length >= 9 && line[0] == 'e' && line[5] == ':') {
                logEvent = line[7] == 'l';
                if (line[7] == 'd') {
                    done = true;
                }
            } else if (sampleLatency && logEvent && length > 30 && line[0] == 'd') {
                int sp = 6;
                while (sp < length && line[sp] != ' ') {
                    sp++;
                }
                Instant at = Instant.parse(new String(line, 6, sp - 6, StandardCharsets.US_ASCII));
                latenciesMicros.add(nowMicros - (at.getEpochSecond() * 1_000_000 + at.getNano() / 1000));
                logEvent = false;
            }
        }
    }

    private void sseFanout() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        int lines = Integer.getInteger("bench.lines", 10_000);
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

        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(subscribers + 10)
                .setDefaultHost(base.getHost()).setDefaultPort(base.getPort()));
        List<Subscriber> subs = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(subscribers);
        CountDownLatch finished = new CountDownLatch(subscribers);
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < subscribers; i++) {
            Subscriber sub = new Subscriber(i % 20 == 0);
            subs.add(sub);
            client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/jobs/" + jobId + "/logs")
                            .addHeader("Accept", "text/event-stream"))
                    .compose(req -> req.send())
                    .onSuccess(resp -> {
                        connected.countDown();
                        resp.handler(sub::accept);
                        resp.endHandler(v -> finished.countDown());
                    })
                    .onFailure(e -> {
                        failures.incrementAndGet();
                        connected.countDown();
                        finished.countDown();
                    });
        }
        connected.await(120, TimeUnit.SECONDS);
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
        long t0 = System.nanoTime();
        blockers.countDown();
        boolean allDone = finished.await(600, TimeUnit.SECONDS);
        long elapsedNanos = System.nanoTime() - t0;
        sampler.interrupt();
        client.close();
        clientVertx.close();

        long lastSeq = given().get("/jobs/" + jobId).then().extract().path("status").equals("SUCCEEDED")
                ? Long.parseLong(io.restassured.RestAssured.given().header("Accept", "text/event-stream")
                .get("/jobs/" + jobId + "/logs").asString().lines().filter(l -> l.startsWith("id: "))
                .reduce((a, b) -> b).orElseThrow().substring(4)) : -1;
        long complete = subs.stream().filter(x -> x.done && x.ordered && x.events == lastSeq).count();
        long delivered = subs.stream().mapToLong(x -> x.events).sum();
        long[] lat = subs.stream().flatMap(x -> x.latenciesMicros.stream()).mapToLong(Long::longValue).sorted()
                .toArray();
        double seconds = elapsedNanos / 1e9;
        String result = String.format("SSE fan-out: %d subscribers, %d log lines (%d events per stream), "
                        + "line delay %d ms%n  all streams done: %s, complete and in order: %d/%d, connect failures: %d%n"
                        + "  elapsed %.2f s, delivered %d events = %.0f events/s%n"
                        + "  end-to-end latency (log call -> client) p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n"
                        + "  max heap used %d MiB (heap max %d MiB)",
                subscribers, lines, lastSeq, delay, allDone, complete, subscribers, failures.get(), seconds,
                delivered, delivered / seconds, pct(lat, 50), pct(lat, 99), pct(lat, 100), lat.length,
                maxHeap.get() >> 20, memory.getHeapMemoryUsage().getMax() >> 20);
        System.out.println(result);
        json.append(String.format("\"sse\":{\"subscribers\":%d,\"lines\":%d,\"eventsPerStream\":%d,\"lineDelayMs\":%d,"
                        + "\"complete\":%d,\"seconds\":%.3f,\"eventsPerSecond\":%.0f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,"
                        + "\"maxMs\":%.2f,\"maxHeapMiB\":%d},", subscribers, lines, lastSeq, delay, complete, seconds,
                delivered / seconds, pct(lat, 50), pct(lat, 99), pct(lat, 100), maxHeap.get() >> 20));
        assertEquals(subscribers, complete, "every subscriber saw every event exactly once, in order");
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
