package io.flinkjobrunner.engine;

import io.flinkjobrunner.runner.FlinkFailures;
import io.flinkjobrunner.runner.RunOptions;
import io.flinkjobrunner.runner.SqlRunException;
import io.flinkjobrunner.runner.SqlRunResult;
import io.flinkjobrunner.runner.SqlRunner;
import io.flinkjobrunner.runner.SqlScript;
import io.flinkjobrunner.runner.SqlScriptException;
import io.flinkjobrunner.topics.TopicRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The local engine: an in-process Kafka broker (KRaft) and a Flink MiniCluster running compiled units.
 *
 * <p>It runs the exact SQL a cluster would run; only the Kafka bootstrap servers differ (rewritten at run time by the
 * sql-runner, never in the script text). {@link #simulate} runs one bounded scenario: publish, run with every Kafka
 * source bounded at the latest offset, wait for the job to finish, read back. {@link #deploy} runs a unit unbounded
 * and hands back a {@link LocalDeployment} to cancel or stop it with a savepoint (and redeploy from that savepoint).
 *
 * <pre>{@code
 * try (LocalEngine engine = LocalEngine.start()) {
 *     Simulation sim = engine.simulate(new SimulationRequest(script, topics, records, readBack, timeout));
 *     Map<String, String> alerts = sim.materialized(alertsTopic);
 * }
 * }</pre>
 *
 * <p>The broker starts with the engine; the MiniCluster starts with the first job. One engine serves any number of
 * scenarios, concurrently if needed: give each scenario fresh topics ({@code Topics.withPrefix}). Jobs run with
 * parallelism 1, so results do not depend on scheduling, unless their script sets another
 * ({@code table.exec.resource.default-parallelism}, see {@code CompileOptions.parallelism}).
 */
public final class LocalEngine implements AutoCloseable {

    private static final Duration BROKER_READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);
    /** How long a topic may stay unknown to the broker after its creation before publishing to it fails. */
    private static final Duration UNKNOWN_TOPIC_GRACE = Duration.ofSeconds(5);
    private static final int TASK_SLOTS = 8;
    /** Highest parallelism a job may ask for: the MiniCluster's task slots (which every job shares). */
    public static final int MAX_PARALLELISM = TASK_SLOTS;
    private static final long STOP_POLL_MILLIS = 100;
    private static final String SCENARIO_TOPICS = "fjr-scenario.";

    private final KraftBroker broker;
    private final Admin admin;
    private final KafkaProducer<String, String> producer;
    private SharedMiniCluster cluster;

    private LocalEngine(KraftBroker broker) {
        this.broker = broker;
        Properties adminProperties = new Properties();
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        this.admin = Admin.create(adminProperties);
        this.producer = newProducer(broker.bootstrapServers());
    }

    private static KafkaProducer<String, String> newProducer(String bootstrapServers) {
        Properties producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // one request in flight: a retried batch can never overtake or duplicate a later one
        producerProperties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer());
    }

    /** Starts the in-process Kafka broker (the Flink MiniCluster starts lazily with the first job). */
    public static LocalEngine start() {
        return start(null);
    }

    /**
     * Starts the in-process Kafka broker with its data in {@code dataDirectory}, which a later start reuses: topics
     * and their records survive {@link #close()} and a restart of the process (a temporary directory when null).
     */
    public static LocalEngine start(Path dataDirectory) {
        KraftBroker broker;
        try {
            broker = dataDirectory == null ? KraftBroker.start(BROKER_READY_TIMEOUT)
                    : KraftBroker.startPersistent(dataDirectory, BROKER_READY_TIMEOUT);
        } catch (Exception e) {
            throw new LocalEngineException(LocalEngineException.Reason.STARTUP,
                    "cannot start the in-process Kafka broker: " + FlinkFailures.describe(e), e);
        }
        try {
            return new LocalEngine(broker);
        } catch (RuntimeException e) {
            broker.close();
            throw new LocalEngineException(LocalEngineException.Reason.STARTUP,
                    "cannot connect to the in-process Kafka broker: " + FlinkFailures.describe(e), e);
        }
    }

    /** {@code host:port} of the in-process broker. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /**
     * Runs one bounded scenario; see {@link SimulationRequest}.
     *
     * @throws LocalEngineException with reason {@code SCRIPT}, {@code JOB_FAILED} (carrying Flink's root cause),
     *     {@code TIMEOUT} or {@code KAFKA}
     */
    public Simulation simulate(SimulationRequest request) {
        return simulate(request, () -> false);
    }

    /**
     * Runs one bounded scenario; see {@link SimulationRequest}. {@code stop} is polled while the job runs (every
     * {@value #STOP_POLL_MILLIS} ms): once it returns true the job is cancelled.
     *
     * @throws LocalEngineException with reason {@code SCRIPT}, {@code JOB_FAILED} (carrying Flink's root cause),
     *     {@code TIMEOUT}, {@code KAFKA} or {@code CANCELLED} (when {@code stop} ended the run)
     */
    public Simulation simulate(SimulationRequest request, BooleanSupplier stop) {
        SqlScript script = parse(request.script());
        // a producer of its own, closed with the scenario: a producer keeps asking the broker for every topic it
        // has sent to, and the scenario's topics are deleted at its end
        try (KafkaProducer<String, String> scenarioProducer = newProducer(bootstrapServers())) {
            createTopics(request.topicsToCreate(), scenarioProducer);
            publish(request.recordsToPublish(), scenarioProducer);
        }
        if (stop.getAsBoolean()) {
            throw cancelled();
        }
        TableEnvironment tableEnvironment = tableEnvironment(null);
        long started = System.nanoTime();
        SqlRunResult result = run(tableEnvironment, script, RunOptions.AS_WRITTEN.withBoundedSources()
                .withKafkaBootstrapServers(bootstrapServers()).withTopicRenames(request.topicRenames()));
        awaitFinished(result.jobs(), request.timeout(), stop);
        Duration jobDuration = Duration.ofNanos(System.nanoTime() - started);
        Map<String, List<TopicRecord>> readBack = new LinkedHashMap<>();
        for (String topic : request.topicsToReadBack()) {
            readBack.put(topic, read(topic));
        }
        return new Simulation(readBack, jobDuration);
    }

    /**
     * Runs {@code script} unbounded (as a deployment would) and returns its job.
     *
     * @param restoreFrom a savepoint to restore state from ({@link LocalDeployment#stopWithSavepoint}), or null
     * @throws LocalEngineException with reason {@code SCRIPT} if the script fails or does not submit exactly one job
     */
    public LocalDeployment deploy(String script, String restoreFrom) {
        SqlScript parsed = parse(script);
        TableEnvironment tableEnvironment = tableEnvironment(restoreFrom);
        SqlRunResult result = run(tableEnvironment, parsed,
                RunOptions.AS_WRITTEN.withKafkaBootstrapServers(bootstrapServers()));
        if (result.jobs().size() != 1) {
            result.jobs().forEach(LocalEngine::cancelQuietly);
            throw new LocalEngineException(LocalEngineException.Reason.SCRIPT, "a deployment must submit exactly one"
                    + " Flink job (one EXECUTE STATEMENT SET), this script submitted " + result.jobs().size(), null);
        }
        return new LocalDeployment(result.jobs().get(0), cluster());
    }

    /**
     * Creates those of {@code topics} that do not exist yet, with one partition and the given topic configuration
     * (e.g. {@code cleanup.policy=compact}), and waits until they have a leader.
     *
     * @param topics topic name to its configuration
     * @return the topics this call created (existing ones are left as they are)
     */
    public Set<String> ensureTopics(Map<String, Map<String, String>> topics) {
        try {
            // the controller decides what exists: a broker's topic list can lag behind a deletion that just ended
            List<NewTopic> wanted = topics.entrySet().stream()
                    .map(e -> new NewTopic(e.getKey(), 1, (short) 1).configs(e.getValue())).toList();
            Set<String> created = new LinkedHashSet<>();
            for (NewTopic topic : wanted) {
                try {
                    admin.createTopics(List.of(topic)).all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(List.copyOf(topics.keySet()), producer);
            return created;
        } catch (ExecutionException e) {
            throw kafkaFailure("cannot create topics " + topics.keySet(), e.getCause());
        } catch (TimeoutException e) {
            throw kafkaFailure("creating topics " + topics.keySet() + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw kafkaFailure("interrupted while creating topics", e);
        }
    }

    /**
     * A fresh topic prefix for one scenario, {@code fjr-scenario.<label>-<random>.}: scenarios on prefixed topics
     * never see each other's data nor a deployment's (whose topics start with {@code fjr.}), and
     * {@link #deleteScenarioTopics} finds what an interrupted scenario left.
     *
     * @param label a short name of what runs the scenario ({@code [A-Za-z0-9._-]+}), e.g. a job id
     */
    public static String scenarioPrefix(String label) {
        if (!label.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("scenario label must match [A-Za-z0-9._-]{1,64}: '" + label + "'");
        }
        return SCENARIO_TOPICS + label + "-" + UUID.randomUUID() + ".";
    }

    /**
     * Deletes every topic named with a {@link #scenarioPrefix}: those of scenarios that were interrupted (a crash of
     * the process) on a broker whose data outlives it. Call it while no scenario runs.
     *
     * @return the topics deleted
     */
    public Set<String> deleteScenarioTopics() {
        return deleteTopics(topicNames().stream().filter(topic -> topic.startsWith(SCENARIO_TOPICS)).toList());
    }

    /** The names of the topics on the broker (internal topics excluded). */
    public Set<String> topicNames() {
        try {
            return new TreeSet<>(admin.listTopics().names().get(KAFKA_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            throw kafkaFailure("cannot list topics", e.getCause());
        } catch (TimeoutException e) {
            throw kafkaFailure("listing topics timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw kafkaFailure("interrupted while listing topics", e);
        }
    }

    /**
     * Deletes those of {@code topics} that exist, with their records.
     *
     * @return the topics this call deleted
     */
    public Set<String> deleteTopics(Collection<String> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> doomed = new LinkedHashSet<>(topics);
            doomed.retainAll(existing);
            if (!doomed.isEmpty()) {
                Map<String, KafkaFuture<Void>> deletions =
                        admin.deleteTopics(doomed).topicNameValues();
                for (Map.Entry<String, KafkaFuture<Void>> deletion : deletions.entrySet()) {
                    try {
                        deletion.getValue().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                            throw e;
                        }
                        // listed a moment ago, but a deletion just completed: the broker's metadata lagged
                        doomed.remove(deletion.getKey());
                    }
                }
            }
            return doomed;
        } catch (ExecutionException e) {
            throw kafkaFailure("cannot delete topics " + topics, e.getCause());
        } catch (TimeoutException e) {
            throw kafkaFailure("deleting topics " + topics + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw kafkaFailure("interrupted while deleting topics", e);
        }
    }

    /**
     * Creates topics with one partition each.
     *
     * @throws LocalEngineException if a topic already exists (scenarios must not see each other's data)
     */
    public void createTopics(Collection<String> topics) {
        createTopics(topics, producer);
    }

    private void createTopics(Collection<String> topics, KafkaProducer<String, String> producer) {
        List<NewTopic> newTopics = topics.stream().distinct().map(topic -> new NewTopic(topic, 1, (short) 1)).toList();
        if (newTopics.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(newTopics).all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(newTopics.stream().map(NewTopic::name).toList(), producer);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException exists) {
                throw new LocalEngineException(LocalEngineException.Reason.KAFKA, exists.getMessage()
                        + "; every scenario needs fresh topics (Topics.withPrefix)", exists);
            }
            throw kafkaFailure("cannot create topics " + topics, e.getCause());
        } catch (TimeoutException e) {
            throw kafkaFailure("creating topics " + topics + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw kafkaFailure("interrupted while creating topics", e);
        }
    }

    /** Publishes {@code records} in list order and waits until every one is acknowledged by the broker. */
    public void publish(List<TopicRecord> records) {
        publish(records, producer);
    }

    private void publish(List<TopicRecord> records, KafkaProducer<String, String> producer) {
        try {
            awaitLeaders(records.stream().map(TopicRecord::topic).distinct().toList(), producer);
        } catch (ExecutionException e) {
            throw kafkaFailure("cannot publish", e.getCause());
        } catch (TimeoutException e) {
            throw kafkaFailure("publishing timed out waiting for partition leaders", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw kafkaFailure("interrupted while publishing", e);
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        for (TopicRecord record : records) {
            sends.add(producer.send(new ProducerRecord<>(record.topic(), null, record.timestampMillis(),
                    record.key(), record.value())));
        }
        producer.flush();
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw kafkaFailure("cannot publish to '" + records.get(i).topic() + "'", e.getCause());
            } catch (TimeoutException e) {
                throw kafkaFailure("publishing to '" + records.get(i).topic() + "' timed out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw kafkaFailure("interrupted while publishing", e);
            }
        }
    }

    /**
     * Waits until every partition of {@code topics} has a leader.
     * A freshly created partition answers produce requests with NOT_LEADER_OR_FOLLOWER for a moment; publishing only
     * once it has a leader keeps the first batches from being retried at all.
     */
    private void awaitLeaders(List<String> topics, KafkaProducer<String, String> producer)
            throws ExecutionException, TimeoutException, InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + KAFKA_TIMEOUT.toNanos();
        for (String topic : topics) {
            Boolean ready;
            while (!Boolean.TRUE.equals(ready = hasLeaders(topic))) {
                // the broker creates no topic on demand (a deleted scenario topic must stay deleted); a topic just
                // created may be unknown to the broker's metadata for a moment
                if (ready == null && System.nanoTime() - start > UNKNOWN_TOPIC_GRACE.toNanos()) {
                    throw new LocalEngineException(LocalEngineException.Reason.KAFKA, "topic '" + topic
                            + "' does not exist; create it first (createTopics or ensureTopics)", null);
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("topic '" + topic + "' has no partition leader after " + KAFKA_TIMEOUT);
                }
                Thread.sleep(20);
            }
            // loads the topic into the producer's metadata before the first send
            producer.partitionsFor(topic);
        }
    }

    /** Whether every partition of {@code topic} has a leader; null if the broker does not know the topic. */
    private Boolean hasLeaders(String topic) throws ExecutionException, TimeoutException, InterruptedException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }

    /** Every record of {@code topic} from the beginning up to the current end, in offset order. */
    public List<TopicRecord> read(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            List<PartitionInfo> partitionInfos = consumer.partitionsFor(topic, KAFKA_TIMEOUT);
            if (partitionInfos == null || partitionInfos.isEmpty()) {
                throw new LocalEngineException(LocalEngineException.Reason.KAFKA,
                        "topic '" + topic + "' does not exist", null);
            }
            List<TopicPartition> partitions = partitionInfos.stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            List<TopicRecord> records = new ArrayList<>();
            long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new LocalEngineException(LocalEngineException.Reason.KAFKA,
                            "reading topic '" + topic + "' did not reach its end within " + KAFKA_TIMEOUT, null);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(new TopicRecord(topic, record.key(), record.value(), record.timestamp()));
                }
            }
            return records;
        } catch (KafkaException e) {
            throw kafkaFailure("cannot read topic '" + topic + "'", e);
        }
    }

    /** Stops the MiniCluster (cancelling its jobs) and the broker, and deletes the broker's data. */
    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        closeQuietly(producer::close, failures);
        closeQuietly(admin::close, failures);
        synchronized (this) {
            if (cluster != null) {
                closeQuietly(cluster::close, failures);
                cluster = null;
            }
        }
        closeQuietly(broker::close, failures);
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("the local engine did not shut down cleanly: "
                    + FlinkFailures.describe(failures.get(0)));
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static SqlScript parse(String script) {
        try {
            return SqlScript.parse(script, "unit script");
        } catch (SqlScriptException e) {
            throw new LocalEngineException(LocalEngineException.Reason.SCRIPT, e.getMessage(), e);
        }
    }

    private static SqlRunResult run(TableEnvironment tableEnvironment, SqlScript script, RunOptions options) {
        try {
            return SqlRunner.run(tableEnvironment, script, options);
        } catch (SqlRunException e) {
            throw new LocalEngineException(LocalEngineException.Reason.SCRIPT, e.getMessage(), e);
        }
    }

    /** A fresh table environment whose jobs run on the shared MiniCluster with parallelism 1. */
    private TableEnvironment tableEnvironment(String restoreFrom) {
        SharedMiniCluster miniCluster = cluster();
        Configuration configuration = new Configuration();
        miniCluster.configure(configuration);
        configuration.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        if (restoreFrom != null) {
            configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment environment =
                new StreamExecutionEnvironment(miniCluster, configuration, LocalEngine.class.getClassLoader());
        return StreamTableEnvironment.create(environment, EnvironmentSettings.newInstance().inStreamingMode()
                .withConfiguration(configuration).build());
    }

    private synchronized SharedMiniCluster cluster() {
        if (cluster == null) {
            try {
                cluster = SharedMiniCluster.start(TASK_SLOTS);
            } catch (Exception e) {
                throw new LocalEngineException(LocalEngineException.Reason.STARTUP,
                        "cannot start the Flink MiniCluster: " + FlinkFailures.describe(e), e);
            }
        }
        return cluster;
    }

    private static void awaitFinished(List<JobClient> jobs, Duration timeout, BooleanSupplier stop) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (JobClient job : jobs) {
            try {
                awaitResult(job, deadline, stop);
            } catch (StopRequestedException e) {
                jobs.forEach(LocalEngine::cancelQuietly);
                throw cancelled();
            } catch (TimeoutException e) {
                jobs.forEach(LocalEngine::cancelQuietly);
                throw new LocalEngineException(LocalEngineException.Reason.TIMEOUT, "the Flink job " + job.getJobID()
                        + " did not finish within " + timeout + " and was cancelled (a bounded run ends when every"
                        + " source is a Kafka table read to its end)", e);
            } catch (ExecutionException e) {
                jobs.forEach(LocalEngine::cancelQuietly);
                throw new LocalEngineException(LocalEngineException.Reason.JOB_FAILED,
                        "the Flink job failed: " + FlinkFailures.describe(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                jobs.forEach(LocalEngine::cancelQuietly);
                throw new LocalEngineException(LocalEngineException.Reason.JOB_FAILED,
                        "interrupted while waiting for the Flink job", e);
            }
        }
    }

    /** Waits for the job's end until {@code deadline}, asking {@code stop} between short waits. */
    private static void awaitResult(JobClient job, long deadline, BooleanSupplier stop)
            throws ExecutionException, TimeoutException, InterruptedException, StopRequestedException {
        while (true) {
            long remaining = deadline - System.nanoTime();
            try {
                job.getJobExecutionResult().get(Math.max(0, Math.min(remaining,
                        TimeUnit.MILLISECONDS.toNanos(STOP_POLL_MILLIS))), TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                if (stop.getAsBoolean()) {
                    throw new StopRequestedException();
                }
            }
        }
    }

    /** The caller's stop signal ended a wait. */
    private static final class StopRequestedException extends Exception {
        StopRequestedException() {
            super(null, null, false, false);
        }
    }

    private static LocalEngineException cancelled() {
        return new LocalEngineException(LocalEngineException.Reason.CANCELLED, "the run was stopped on request; "
                + "its Flink job was cancelled", null);
    }

    static void cancelQuietly(JobClient job) {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
            // cancel() is acknowledged before the tasks are gone; the caller deletes the job's topics next, so
            // wait for the job's result (it fails: cancelled) before any of its Kafka clients could still write
            job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the job already reached a terminal state, or the cluster is shutting down; nothing left to stop
        }
    }

    private static LocalEngineException kafkaFailure(String what, Throwable cause) {
        return new LocalEngineException(LocalEngineException.Reason.KAFKA, what + ": "
                + FlinkFailures.describe(cause), cause);
    }

    private static void closeQuietly(AutoCloseable closeable, List<Exception> failures) {
        try {
            closeable.close();
        } catch (Exception e) {
            failures.add(e);
        }
    }
}
