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
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of the local target against a running service (docs/benchmarks.md; {@code bin/benchmark-local}): sustained
 * entity ingest through {@code POST /deployments/{name}/entities} and alert latency (post of a violating entity until
 * its alert arrives on the deployment's SSE stream), idle and under that ingest load. The deployment must run the
 * sample shapes of {@code work/kms} (air filters, operating_hours between 100 and 155).
 *
 * <p>Arguments: base URL, deployment name, then optional {@code seconds=60 batch=50 concurrency=4 probes=200
 * entities=10000 warmup=0 pid=0}: {@code concurrency} clients post {@code batch} filters per request ({@code batch=1}
 * posts a single entity object, not an array) cycling over {@code entities} distinct filters, after {@code warmup}
 * seconds of the same load unmeasured; {@code pid}, the service's process id, adds its CPU time per request (Linux
 * /proc). Reported: updates per second, the acknowledgement time of every load request (p50/p99/max), alert latency
 * idle and during the load, and how long after the last load request was answered the alert of one more, violating
 * update arrives (the backlog the job still had to work through). Only JDK classes, so it runs from
 * {@code service/target/test-classes} alone.
 */
public final class LocalTargetBenchmark {

    private static final String BASE = "https://industry-fusion.org/base/v0.1/";
    private static final String TOO_HIGH = "MaxInclusiveConstraintComponent(" + BASE + "operating_hours[0])";
    private static final Pattern RESOURCE = Pattern.compile("\"resource\":\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

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
                    + "[concurrency=4] [probes=200] [entities=10000] [warmup=0] [pid=0]");
            System.exit(2);
        }
        Map<String, Integer> options = new java.util.HashMap<>(Map.of("seconds", 60, "batch", 50, "concurrency", 4,
                "probes", 200, "entities", 10_000, "warmup", 0, "pid", 0));
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            options.put(kv[0], Integer.parseInt(kv[1]));
        }
        try {
            new LocalTargetBenchmark(URI.create(args[0]), args[1]).run(options);
        } catch (Exception e) {
            // the load clients are pool threads that would keep the process (and bin/benchmark-local) alive
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private void run(Map<String, Integer> options) throws Exception {
        Thread stream = new Thread(this::listen, "alerts");
        stream.setDaemon(true);
        stream.start();
        // warm-up: the first alerts of a fresh job are slower (class loading, first checkpoint of state)
        latencies("warmup", 20);
        List<Long> idle = latencies("idle", options.get("probes"));
        report("alert latency, idle", idle);

        int batch = options.get("batch");
        int concurrency = options.get("concurrency");
        int distinct = options.get("entities");
        if (options.get("warmup") > 0) {
            // the same load unmeasured first: a fresh service JIT-compiles its request path for the first seconds
            Load warmUp = new Load(batch, concurrency, distinct, "warmup");
            warmUp.run(options.get("warmup"), () -> List.of());
            System.out.printf("ingest warm-up: %d requests in %d s; per %d s: %s requests/s%n", warmUp.requests.get(),
                    options.get("warmup"), Load.INTERVAL_SECONDS, warmUp.rates());
        }
        Load load = new Load(batch, concurrency, distinct, "load");
        long cpuBefore = processCpuNanos(options.get("pid"));
        long clientCpuBefore = clientCpuNanos();
        // the probes' own ids: the load clients post valid values for "load:<n>", which would clear a probe's alert
        List<Long> loaded = load.run(options.get("seconds"), () -> latencies("probe-under-load",
                options.get("probes"), Duration.ofSeconds(options.get("seconds")), false));
        long cpu = processCpuNanos(options.get("pid")) - cpuBefore;
        long clientCpu = clientCpuNanos() - clientCpuBefore;
        // one more update right after the load, violating: its alert arrives once the job has worked through
        // everything posted before it (each topic is processed in order per entity)
        List<Long> drain = latencies("last", 1, Duration.ofMinutes(10), true);
        long drained = arrivals.get("urn:bench:" + run + ":last:0");
        // the ingest lasted until the last request was answered, not until the last latency probe
        double elapsed = (load.lastAnswer.get() - load.started) / 1e9;
        long entities = load.requests.get() * batch;
        System.out.printf("ingest: %d entities (one attribute each) in %d requests of %d over %.1f s with %d "
                + "concurrent clients, %d distinct entities: %.0f entities/s = %.0f attribute updates/s, %.0f "
                + "requests/s%n", entities, load.requests.get(), batch, elapsed, concurrency, Math.min(distinct,
                entities), entities / elapsed, entities / elapsed, load.requests.get() / elapsed);
        System.out.printf("ingest per %d s: %s requests/s%n", Load.INTERVAL_SECONDS, load.rates());
        report("acknowledgement (202) of the load requests", load.acknowledgements, "requests");
        if (cpu >= 0) {
            System.out.printf("CPU during the load: service process %.0f ms (%.3f ms per request; broker and job "
                    + "included), this client %.0f ms (%.3f ms per request)%n", cpu / 1e6,
                    cpu / 1e6 / load.requests.get(), clientCpu / 1e6, clientCpu / 1e6 / load.requests.get());
        }
        report("alert latency, during the ingest load", loaded);
        System.out.printf("alert of an update posted after the load: %.0f ms after its post, %.0f ms after the last "
                + "load request was answered%n", drain.get(0) / 1e6, (drained - load.lastAnswer.get()) / 1e6);
    }

    /** {@code concurrency} clients posting {@code batch} valid filters per request, each waiting for its 202. */
    private final class Load {

        private final int batch;
        private final int concurrency;
        private final int distinct;
        private final String phase;
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong lastAnswer = new AtomicLong();
        private final List<Long> acknowledgements = Collections.synchronizedList(new ArrayList<>());
        /** Requests answered per {@link #INTERVAL_SECONDS} since {@link #started}: shows the JIT warming up. */
        private final AtomicLongArray answeredPerInterval = new AtomicLongArray(4096);
        static final int INTERVAL_SECONDS = 5;
        private long started;

        Load(int batch, int concurrency, int distinct, String phase) {
            this.batch = batch;
            this.concurrency = concurrency;
            this.distinct = distinct;
            this.phase = phase;
        }

        /** Requests answered per second in each whole interval of the run, comma-separated. */
        String rates() {
            long whole = (lastAnswer.get() - started) / TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < Math.min(whole, answeredPerInterval.length()); i++) {
                out.append(i == 0 ? "" : ", ").append(answeredPerInterval.get(i) / INTERVAL_SECONDS);
            }
            return out.toString();
        }

        /** Runs the clients for {@code seconds} while {@code meanwhile} runs on this thread; its result. */
        List<Long> run(long seconds, Callable<List<Long>> meanwhile) throws Exception {
            ExecutorService clients = Executors.newFixedThreadPool(concurrency);
            started = System.nanoTime();
            long end = started + TimeUnit.SECONDS.toNanos(seconds);
            for (int worker = 0; worker < concurrency; worker++) {
                int w = worker;
                clients.execute(() -> {
                    long i = 0;
                    while (System.nanoTime() < end) {
                        StringBuilder body = new StringBuilder(batch == 1 ? "" : "[");
                        for (int e = 0; e < batch; e++) {
                            if (e > 0) {
                                body.append(',');
                            }
                            // valid values: the load itself raises no alerts, so probes are not queued behind them
                            long n = (i * batch + e) * concurrency + w;
                            body.append(filter("urn:bench:" + run + ":" + phase + ":" + n % distinct,
                                    100 + (int) (n / distinct % 50)));
                        }
                        if (batch != 1) {
                            body.append(']');
                        }
                        long sent = System.nanoTime();
                        post(body.toString());
                        long answered = System.nanoTime();
                        acknowledgements.add(answered - sent);
                        lastAnswer.accumulateAndGet(answered, Math::max);
                        requests.incrementAndGet();
                        answeredPerInterval.incrementAndGet((int) Math.min(answeredPerInterval.length() - 1,
                                (answered - started) / TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS)));
                        i++;
                    }
                });
            }
            List<Long> result = meanwhile.call();
            clients.shutdown();
            if (!clients.awaitTermination(seconds + 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the clients did not stop");
            }
            return result;
        }
    }

    /** CPU time (user + system) of process {@code pid} so far, from /proc; -1 without a pid (0). */
    private static long processCpuNanos(int pid) throws java.io.IOException {
        if (pid <= 0) {
            return -1;
        }
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        // fields after the command name (in parentheses, may hold spaces): utime and stime are fields 14 and 15
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 10_000_000L; // USER_HZ = 100 on Linux
    }

    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Posts {@code count} violating entities one after another and measures each until its alert arrives. */
    private List<Long> latencies(String phase, int count) throws Exception {
        return latencies(phase, count, Duration.ofSeconds(60), true);
    }

    /**
     * {@link #latencies(String, int)}, each alert awaited up to {@code wait}; when one does not come in time, the
     * probes stop there (fails when {@code required}, else reports it: a job behind the ingest answers probes only
     * after its backlog, which the alert after the load measures).
     */
    private List<Long> latencies(String phase, int count, Duration wait, boolean required) throws Exception {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "urn:bench:" + run + ":" + phase + ":" + i;
            CountDownLatch latch = new CountDownLatch(1);
            waiting.put(id, latch);
            long sent = System.nanoTime();
            post(filter(id, 200));
            if (!latch.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                if (required) {
                    throw new IllegalStateException("no alert for " + id + " within " + wait);
                }
                System.out.printf("%s probe %d: no alert within %d s (the job is behind the ingest); no more "
                        + "probes in this phase%n", phase, i, wait.toSeconds());
                break;
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
        report(what, nanos, "alerts");
    }

    private static void report(String what, List<Long> nanos, String unit) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.printf("%s: none measured%n", what);
            return;
        }
        System.out.printf("%s over %d %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, sorted.size(), unit,
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
