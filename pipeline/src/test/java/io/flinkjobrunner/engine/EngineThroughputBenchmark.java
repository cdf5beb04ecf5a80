package io.flinkjobrunner.engine;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.planner.PlannerCheck;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;

/**
 * Benchmark (not a test; docs/benchmarks.md): the kms-constraints/test1 unit deployed unbounded on the local engine,
 * as the {@code local} deploy target runs it. Measures alert latency (a violating workpiece published until its alert
 * record is on {@code alerts_bulk}) idle, and the attribute-update throughput (N valid {@code depth} updates published
 * to the attributes topic, until the alerts of 16 violating markers published after them have all arrived).
 *
 * <p>With {@code backlog=1} the job is cancelled after the idle latencies, the updates and markers are published while
 * no job runs, and a new job is started over the topics: the throughput is then the job's alone (from the moment it
 * runs to the markers' alerts; it reads everything from the earliest offsets), without the feeding producer and the
 * broker's writes sharing the cores with it.
 *
 * <p>With {@code rate=N} the alert latency is also measured while valid updates are published at N per second (after 5
 * s of that load, {@code probes} alerts one after another).
 *
 * <p>Arguments: {@code [updates=100000] [probes=100] [workpieces=1000] [batch=500] [backlog=0] [rate=0]}; system properties
 * {@code bench.sourceFetchMaxWaitMs} (sets {@code fetch.max.wait.ms} of every Kafka table of the job, in place of the
 * unit's 10 ms on its entity and attribute sources),
 * {@code bench.settleWindowMs} (the alert sink's settle window; 0: plain upsert-kafka),
 * {@code bench.bufferTimeoutMs} (the unit's {@code execution.buffer-timeout}; Flink's own default is 100),
 * {@code bench.parallelism} (the unit's parallelism, default 1), {@code bench.miniBatchMs} and
 * {@code bench.miniBatchSize} (Flink's mini-batch mode with that latency and size, set before the unit) and
 * {@code bench.fetchMaxWaitMs} (the same for the benchmark's own alert consumer).
 */
public final class EngineThroughputBenchmark {

    private static final String IFF = "https://industry-fusion.com/types/v0.9/";
    private static final Pattern RESOURCE = Pattern.compile("\"resource\":\"([^\"]+)\"");
    private static final String TOO_DEEP = "MaxInclusiveConstraintComponent(https://schema.org/depth[0])";

    private final LocalEngine engine;
    private final Topics topics;
    private final NgsiLdMapper mapper = new NgsiLdMapper(NgsiLdContexts.coreOnly());
    private static final int MARKERS = 16;
    private final IngestionClock clock = strictlyIncreasingWallClock();
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    private final String script;
    private LocalDeployment job;
    /** Valid updates published by {@link #underLoad}: a new job over the topics reads them again. */
    private long fed;

    private EngineThroughputBenchmark(LocalEngine engine, Topics topics, String script, LocalDeployment job) {
        this.engine = engine;
        this.topics = topics;
        this.script = script;
        this.job = job;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new java.util.HashMap<>(Map.of("updates", 100_000, "probes", 100,
                "workpieces", 1_000, "batch", 500, "backlog", 0, "rate", 0));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown option " + arg + "; known: " + options.keySet());
            }
            options.put(kv[0], Integer.parseInt(kv[1]));
        }
        Path dir = Path.of(System.getProperty("kms.dir", "compiler/src/test/resources/kms/kms-constraints/test1"));
        Model shapes = Rio.parse(new StringReader(Files.readString(dir.resolve("shacl.ttl"))), "", RDFFormat.TURTLE);
        Model knowledge = Rio.parse(new StringReader(Files.readString(dir.resolve("knowledge.ttl"))), "",
                RDFFormat.TURTLE);
        Topics topics = Topics.defaults("bench");
        long compileStart = System.nanoTime();
        Duration bufferTimeout = Duration.ofMillis(Long.getLong("bench.bufferTimeoutMs",
                CompileOptions.DEFAULT_BUFFER_TIMEOUT.toMillis()));
        Duration settleWindow = Duration.ofMillis(Long.getLong("bench.settleWindowMs",
                CompileOptions.DEFAULT_SETTLE_WINDOW.toMillis()));
        int parallelism = Integer.getInteger("bench.parallelism", 1);
        DeploymentUnit unit = PlannerCheck.compile(knowledge, shapes, new CompileOptions(topics, "local-engine:9092",
                TableNames.reference(), bufferTimeout, settleWindow, parallelism));
        System.out.printf("compiled %s in %d ms (buffer timeout %d ms, alert settle window %d ms, parallelism %d)%n",
                dir, ms(System.nanoTime() - compileStart), bufferTimeout.toMillis(), settleWindow.toMillis(),
                parallelism);
        try (LocalEngine engine = LocalEngine.start()) {
            engine.createTopics(topics.all());
            engine.publish(unit.records(topics));
            long deployStart = System.nanoTime();
            String script = unit.script();
            String fetchMaxWait = System.getProperty("bench.sourceFetchMaxWaitMs");
            if (fetchMaxWait != null) {
                // what the job's Kafka consumers wait for more data before answering a fetch (Kafka's default: 500;
                // the unit's entity and attribute sources set 10): the unit's own value replaced, not set twice
                script = script.replaceAll("'properties\\.fetch\\.max\\.wait\\.ms' = '[0-9]+',\\s*", "")
                        .replace("'properties.bootstrap.servers' = ", "'properties.fetch.max.wait.ms' = '"
                                + Integer.parseInt(fetchMaxWait) + "', 'properties.bootstrap.servers' = ");
            }
            String miniBatch = System.getProperty("bench.miniBatchMs");
            if (miniBatch != null) {
                // Flink's mini-batches: aggregations and joins fold the changes of a batch per key before they emit
                script = "SET 'table.exec.mini-batch.enabled' = 'true';\nSET 'table.exec.mini-batch.allow-latency' = '"
                        + Integer.parseInt(miniBatch) + " ms';\nSET 'table.exec.mini-batch.size' = '"
                        + Integer.getInteger("bench.miniBatchSize", 5000) + "';\n" + script;
                System.out.printf("mini-batch: %s ms%n", miniBatch);
            }
            LocalDeployment job = deployRunning(engine, script);
            System.out.printf("job planned, submitted and running in %d ms%n", ms(System.nanoTime() - deployStart));
            EngineThroughputBenchmark benchmark = new EngineThroughputBenchmark(engine, topics, script, job);
            benchmark.run(options);
            benchmark.job.cancel();
        }
    }

    private static LocalDeployment deployRunning(LocalEngine engine, String script) throws Exception {
        LocalDeployment job = engine.deploy(script, null);
        if (!job.awaitRunning(Duration.ofMinutes(10), () -> false)) {
            throw new IllegalStateException("the job did not run within 10 minutes: " + job.status());
        }
        return job;
    }

    private void run(Map<String, Integer> options) throws Exception {
        Thread tail = new Thread(this::tailAlerts, "alerts");
        tail.setDaemon(true);
        tail.start();
        int workpieces = options.get("workpieces");
        int batch = options.get("batch");
        List<TopicRecord> seed = new ArrayList<>();
        for (int i = 0; i < workpieces; i++) {
            seed.addAll(records(workpiece("urn:workpiece:bench:" + i, 50, true)));
        }
        engine.publish(seed);
        // the first alerts of a fresh job are slower (state creation, class loading)
        latencies("warmup", 10);
        report("alert latency, idle", latencies("idle", options.get("probes")));
        int rate = options.get("rate");
        if (rate > 0) {
            underLoad(rate, workpieces, options.get("probes"));
        }

        int updates = options.get("updates");
        List<List<TopicRecord>> batches = new ArrayList<>();
        List<TopicRecord> current = new ArrayList<>(batch);
        for (int u = 0; u < updates; u++) {
            // only the attribute row: the entities exist, every update changes the value (1..99, all valid)
            String id = "urn:workpiece:bench:" + (u % workpieces);
            for (TopicRecord r : records(workpiece(id, 1 + (u / workpieces) % 99, false))) {
                if (r.topic().equals(topics.attributes())) {
                    current.add(r);
                }
            }
            if (current.size() == batch) {
                batches.add(current);
                current = new ArrayList<>(batch);
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        // markers of several ids: at parallelism > 1 the instances of the keyed operators work through their parts
        // of the backlog independently, and the last marker's alert comes once each has (with 16 ids, every instance
        // of a job of parallelism 2 holds one but with probability 2^-15)
        List<String> markers = new ArrayList<>();
        List<CountDownLatch> done = new ArrayList<>();
        for (int m = 0; m < MARKERS; m++) {
            markers.add("urn:workpiece:bench:marker" + m);
            done.add(expect(markers.get(m)));
        }
        boolean backlog = options.get("backlog") != 0;
        if (backlog) {
            job.cancel();
        }
        long publishing = System.nanoTime();
        for (List<TopicRecord> b : batches) {
            engine.publish(b);
        }
        long published = System.nanoTime();
        long start = publishing;
        List<TopicRecord> markerRecords = new ArrayList<>();
        for (String marker : markers) {
            markerRecords.addAll(records(workpiece(marker, 200, true)));
        }
        engine.publish(markerRecords);
        if (backlog) {
            long deploy = System.nanoTime();
            job = deployRunning(engine, script);
            start = System.nanoTime();
            System.out.printf("backlog: published with no job running; a new job over the topics (from the earliest "
                    + "offsets, so it also reads the %d updates fed under load, not counted below) planned, submitted "
                    + "and running in %d ms%n", fed, ms(start - deploy));
        }
        long last = 0;
        for (int m = 0; m < MARKERS; m++) {
            if (!done.get(m).await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the alert of " + markers.get(m) + " never arrived");
            }
            last = Math.max(last, arrivals.get(markers.get(m)));
        }
        double total = (last - start) / 1e9;
        System.out.printf("throughput: %d attribute updates published in %.1f s (%.0f/s into Kafka), processed up to "
                + "the marker's alert in %.1f s%s: %.0f attribute updates/s%n", updates, (published - publishing) / 1e9,
                updates / ((published - publishing) / 1e9), total, backlog ? " from the new job running" : "",
                updates / total);
        stopping = true;
    }

    /**
     * The alert latency while valid {@code depth} updates are published at {@code rate} per second (in batches every
     * 10 ms, each update mapped when it is sent, so its time is current), and the rate the feed reached.
     */
    private void underLoad(int rate, int workpieces, int probes) throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feeder = new Thread(() -> {
            long begin = System.nanoTime();
            while (feeding.get()) {
                List<TopicRecord> batch = new ArrayList<>();
                // what is due by now: a batch that took longer than 10 ms makes the next one larger
                long due = (System.nanoTime() - begin) / 1_000_000L * rate / 1_000 - sent.get();
                for (long i = 0; i < due; i++) {
                    long u = sent.incrementAndGet();
                    String id = "urn:workpiece:bench:" + (u % workpieces);
                    records(workpiece(id, 1 + (int) (u / workpieces) % 99, false)).stream()
                            .filter(r -> r.topic().equals(topics.attributes())).forEach(batch::add);
                }
                if (!batch.isEmpty()) {
                    engine.publish(batch);
                }
                long elapsed = System.nanoTime() - begin;
                LockSupport.parkNanos(10_000_000L - elapsed % 10_000_000L);
            }
        }, "feeder");
        feeder.setDaemon(true);
        feeder.start();
        Thread.sleep(5_000);
        long from = sent.get();
        long t0 = System.nanoTime();
        List<Long> latencies = latencies("loaded", probes);
        double reached = (sent.get() - from) / ((System.nanoTime() - t0) / 1e9);
        feeding.set(false);
        feeder.join();
        fed = sent.get();
        report(String.format("alert latency, %d valid updates/s fed (reached %.0f/s)", rate, reached), latencies);
    }

    /** Publishes {@code count} violating workpieces one after another; the time until each one's alert arrives. */
    private List<Long> latencies(String phase, int count) throws Exception {
        List<Long> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = "urn:workpiece:" + phase + ":" + i;
            List<TopicRecord> records = records(workpiece(id, 200, true));
            CountDownLatch latch = expect(id);
            long sent = System.nanoTime();
            engine.publish(records);
            if (!latch.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("no alert for " + id + " within 5 minutes");
            }
            out.add(arrivals.get(id) - sent);
        }
        return out;
    }

    private CountDownLatch expect(String id) {
        CountDownLatch latch = new CountDownLatch(1);
        waiting.put(id, latch);
        return latch;
    }

    private void tailAlerts() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, engine.bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.getInteger("bench.fetchMaxWaitMs", 500));
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topics.alertsBulk(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (!stopping) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    if (record.value() == null || !record.key().contains(TOO_DEEP)) {
                        continue;
                    }
                    Matcher m = RESOURCE.matcher(record.key());
                    if (m.find()) {
                        CountDownLatch latch = waiting.remove(m.group(1));
                        if (latch != null) {
                            arrivals.put(m.group(1), now);
                            latch.countDown();
                        }
                    }
                }
            }
        }
    }

    private List<TopicRecord> records(String json) {
        try {
            return mapper.map(json, "bench", clock).toTopicRecords(topics);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String workpiece(String id, int depth, boolean withMaterial) {
        String material = withMaterial ? ",\"" + IFF + "material\":{\"type\":\"Property\",\"value\":{\"@value\":"
                + "\"1.4301\",\"@type\":\"iff:steelGrade\"}}" : "";
        return "{\"id\":\"" + id + "\",\"type\":\"" + IFF + "workpiece\"" + material + ",\"https://schema.org/depth\":"
                + "{\"type\":\"Property\",\"value\":" + depth + "}}";
    }

    /** Wall-clock ingestion times, strictly increasing so a later update of an attribute always wins. */
    private static IngestionClock strictlyIncreasingWallClock() {
        AtomicLong last = new AtomicLong();
        return () -> Instant.ofEpochMilli(last.updateAndGet(previous -> Math.max(previous + 1,
                System.currentTimeMillis())));
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("%s over %d alerts: p50 %d ms, p99 %d ms, max %d ms%n", what, sorted.size(),
                ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.99)), ms(sorted.get(sorted.size() - 1)));
    }

    private static long percentile(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
