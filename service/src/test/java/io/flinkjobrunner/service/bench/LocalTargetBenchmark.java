package io.flinkjobrunner.service.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of the local target against a running service (docs/benchmarks.md; {@code bin/benchmark-local}): sustained
 * entity ingest through {@code POST /deployments/{name}/entities} and alert latency (post of a violating entity until
 * its alert arrives on the deployment's SSE stream), idle and under that ingest load. The deployment must run the
 * sample shapes of {@code work/kms} (air filters, operating_hours between 100 and 155).
 *
 * <p>Arguments: base URL, deployment name, then optional {@code seconds=60 batch=50 concurrency=4 probes=200}.
 * Only JDK classes, so it runs from {@code service/target/test-classes} alone.
 */
public final class LocalTargetBenchmark {

    private static final String BASE = "https://industry-fusion.org/base/v0.1/";
    private static final String TOO_HIGH = "MaxInclusiveConstraintComponent(" + BASE + "operating_hours[0])";
    private static final Pattern RESOURCE = Pattern.compile("\"resource\":\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String deployment;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();

    private LocalTargetBenchmark(URI base, String deployment) {
        this.base = base;
        this.deployment = deployment;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalTargetBenchmark <base-url> <deployment> [seconds=60] [batch=50] "
                    + "[concurrency=4] [probes=200]");
            System.exit(2);
        }
        Map<String, Integer> options = new java.util.HashMap<>(Map.of("seconds", 60, "batch", 50, "concurrency", 4,
                "probes", 200));
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            options.put(kv[0], Integer.parseInt(kv[1]));
        }
        new LocalTargetBenchmark(URI.create(args[0]), args[1]).run(options);
    }

    private void run(Map<String, Integer> options) throws Exception {
        Thread stream = new Thread(this::listen, "alerts");
        stream.setDaemon(true);
        stream.start();
        // warm-up: the first alerts of a fresh job are slower (class loading, first checkpoint of state)
        latencies("warmup", 20);
        List<Long> idle = latencies("idle", options.get("probes"));
        report("alert latency, idle", idle);

        AtomicLong entities = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        long seconds = options.get("seconds");
        int batch = options.get("batch");
        int concurrency = options.get("concurrency");
        ExecutorService load = Executors.newFixedThreadPool(concurrency);
        long started = System.nanoTime();
        long end = started + TimeUnit.SECONDS.toNanos(seconds);
        for (int worker = 0; worker < concurrency; worker++) {
            int w = worker;
            load.execute(() -> {
                long i = 0;
                while (System.nanoTime() < end) {
                    StringBuilder body = new StringBuilder("[");
                    for (int e = 0; e < batch; e++) {
                        if (e > 0) {
                            body.append(',');
                        }
                        // valid values: the load itself raises no alerts, so latency probes are not queued behind them
                        body.append(filter("urn:bench:" + run + ":load:" + w + ":" + (i * batch + e) % 10_000,
                                100 + (int) (i % 50)));
                    }
                    body.append(']');
                    post(body.toString());
                    lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                    requests.incrementAndGet();
                    entities.addAndGet(batch);
                    i++;
                }
            });
        }
        List<Long> loaded = latencies("load", options.get("probes"));
        load.shutdown();
        load.awaitTermination(seconds + 60, TimeUnit.SECONDS);
        // the ingest lasted until the last request was answered, not until the last latency probe
        double elapsed = (lastAnswer.get() - started) / 1e9;
        System.out.printf("ingest: %d entities (one attribute each) in %d requests of %d over %.1f s with %d "
                + "concurrent clients: %.0f entities/s = %.0f attribute updates/s, %.0f requests/s%n", entities.get(),
                requests.get(), batch, elapsed, concurrency, entities.get() / elapsed, entities.get() / elapsed,
                requests.get() / elapsed);
        report("alert latency, during the ingest load", loaded);
    }

    /** Posts {@code count} violating entities one after another and measures each until its alert arrives. */
    private List<Long> latencies(String phase, int count) throws Exception {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "urn:bench:" + run + ":" + phase + ":" + i;
            CountDownLatch latch = new CountDownLatch(1);
            waiting.put(id, latch);
            long sent = System.nanoTime();
            post(filter(id, 200));
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no alert for " + id + " within 60 s");
            }
            out.add(arrivals.get(id) - sent);
        }
        return out;
    }

    private void listen() {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/deployments/" + deployment + "/alerts"))
                .header("Accept", "text/event-stream").build();
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("alert stream: HTTP " + response.statusCode());
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    // the probe's own alert, not the count alert that may flash while its entity row is ahead of
                    // its attribute row
                    if (line.startsWith("data: ") && line.contains(TOO_HIGH)) {
                        Matcher m = RESOURCE.matcher(line);
                        if (m.find() && waiting.containsKey(m.group(1))) {
                            arrivals.putIfAbsent(m.group(1), System.nanoTime());
                            waiting.remove(m.group(1)).countDown();
                        }
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("alert stream ended: " + e);
        }
    }

    private void post(String body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/deployments/" + deployment + "/entities"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new IllegalStateException("POST entities: HTTP " + response.statusCode() + " "
                        + response.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String filter(String id, int hours) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + BASE + "airFilter\",\"" + BASE + "operating_hours\":"
                + "{\"type\":\"Property\",\"value\":" + hours + "}}";
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("%s over %d alerts: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", what, sorted.size(),
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
