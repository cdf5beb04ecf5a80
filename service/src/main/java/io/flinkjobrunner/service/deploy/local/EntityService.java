package io.flinkjobrunner.service.deploy.local;

import io.flinkjobrunner.service.engine.EmbeddedEngine;
import io.flinkjobrunner.kafka.KafkaTopicPublisher;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdException;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.service.config.DeployConfig;
import io.flinkjobrunner.service.deploy.DeploymentBackends;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.state.DeploymentStatus;
import io.flinkjobrunner.service.store.DeploymentRecord;
import io.flinkjobrunner.service.store.DeploymentRepository;
import io.flinkjobrunner.service.targets.validate.ModelReader;
import io.flinkjobrunner.topics.GroupCommitPublisher;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds NGSI-LD entities posted to a deployment on the local engine into its running validation: maps them to
 * {@code entities}/{@code attributes} records ({@link NgsiLdMapper}; remote contexts mapped to files or fetched through
 * the guarded downloader) and publishes them to the
 * deployment's topics, acknowledged by the broker before the request is answered.
 *
 * <p>Rows without {@code observedAt} get the request's ingestion time, strictly increasing from one request to the
 * next, so a later post of the same attribute always wins; within one request the last occurrence of a key wins.
 *
 * <p>Concurrent requests share their round trips to the broker ({@link GroupCommitPublisher}): one producer, one
 * group of requests in flight, the records of the requests that arrive meanwhile form the next group, and each request
 * is answered once the group holding its records is acknowledged. The deployment's status is read from the database
 * at most every {@link #STATUS_TTL} per deployment (the running job itself is checked in memory on every request),
 * so a request costs no database round trip.
 */
@ApplicationScoped
public class EntityService {

    private final DeploymentRepository deployments;
    private final LocalDeployments jobs;
    private final EmbeddedEngine embedded;
    private final DeployConfig deployConfig;
    /** How long a deployment's status read from the database is trusted by {@link #ingest}. */
    static final Duration STATUS_TTL = Duration.ofSeconds(1);
    /** A group of concurrent requests stays within this many records (a larger request is a group of its own). */
    private static final int MAX_GROUP_RECORDS = 10_000;

    private final NgsiLdMapper mapper;
    /** {@link #mapper} without fetching: what may run on an event loop. */
    private final NgsiLdMapper localMapper;
    private final AtomicLong lastIngestion = new AtomicLong();
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();
    /**
     * The topics of each deployment this service accepted entities for (a deployment's topic names never change):
     * building them checks every name against Kafka's rules, 2 % of the CPU under single-entity posts (JFR).
     */
    private final Map<String, Topics> topicsOf = new ConcurrentHashMap<>();
    private volatile Broker broker;

    @Inject
    EntityService(DeploymentRepository deployments, LocalDeployments jobs, EmbeddedEngine embedded,
            DeployConfig deployConfig, ModelReader models) {
        this.deployments = deployments;
        this.jobs = jobs;
        this.embedded = embedded;
        this.deployConfig = deployConfig;
        this.mapper = new NgsiLdMapper(models.contexts());
        this.localMapper = models.contexts().fetches() ? new NgsiLdMapper(models.offlineContexts()) : mapper;
    }

    /**
     * What a post fed.
     *
     * @param deployment the deployment
     * @param entities entity rows published
     * @param attributes attribute rows published (sub-attributes included)
     * @param warnings what was accepted but deserves a look (e.g. a datasetId that is not an IRI), naming entity
     *     and attribute
     */
    public record Ingested(String deployment, int entities, int attributes, List<String> warnings) {
    }

    /**
     * {@link #requireRunning}, with the deployment's record read from the database at most every {@link #STATUS_TTL}:
     * whether its job runs in this process is checked on every call.
     */
    private void requireAccepting(String name) {
        if (!knownRunning(name)) {
            statuses.remove(name);
            requireRunning(name);
            statuses.put(name, new Status(System.nanoTime()));
        }
    }

    /** Whether {@code name} was found running within {@link #STATUS_TTL} and its job runs in this process. */
    private boolean knownRunning(String name) {
        Status status = statuses.get(name);
        return status != null && System.nanoTime() - status.readAt <= STATUS_TTL.toNanos()
                && jobs.running(name).isPresent();
    }

    /** When a deployment was last found running. */
    private record Status(long readAt) {
    }

    /**
     * Refuses unless {@code name} is a deployment running on the local engine of this process.
     *
     * @throws ApiProblemException 404 for an unknown name, 409 for a deployment on Kubernetes or not running
     */
    public DeploymentRecord requireRunning(String name) {
        DeploymentRecord record = deployments.find(name).orElseThrow(() -> new ApiProblemException(
                Reason.DEPLOYMENT_NOT_FOUND, "no deployment '" + name + "'; deploy one with POST /jobs and "
                        + "context.deployment"));
        if (!DeploymentBackends.LOCAL.equals(record.backend())) {
            throw new ApiProblemException(Reason.DEPLOYMENT_NOT_LOCAL, "deployment '" + name + "' runs on the "
                    + record.backend() + " backend: publish its entities to the platform's Kafka topics; this API "
                    + "feeds deployments on the local engine");
        }
        if (record.status() != DeploymentStatus.RUNNING || jobs.running(name).isEmpty()) {
            String state = jobs.restoring(name) ? "starting again after a restart of the service"
                    : record.status() + " since " + record.since()
                            + record.detail().map(d -> " (" + d + ")").orElse("");
            throw new ApiProblemException(Reason.DEPLOYMENT_NOT_RUNNING, "deployment '" + name + "' is not running: "
                    + state, Map.of("deploymentStatus", record.status().name()));
        }
        return record;
    }

    /**
     * Maps and publishes the entities of {@code body} (one entity or an array, NGSI-LD normalized form). The work is
     * done on the calling thread, which may be an event loop: only what can block (reading the deployment's status
     * from the database when it was not read within {@link #STATUS_TTL}, resolving an {@code @context} that is
     * neither the core context nor mapped to a file) runs on {@code blocking}. Nothing waits for the broker: the
     * stage completes once the group holding the records is acknowledged.
     *
     * @return completes with what was fed, or exceptionally with an {@link ApiProblemException}: 400 for malformed
     *     JSON (with line and column), an unmapped remote context (naming it) or an invalid entity; 404/409 as
     *     {@link #requireRunning}; 503 when the broker does not acknowledge in time
     */
    public CompletionStage<Ingested> ingest(String name, byte[] body, Executor blocking) {
        try {
            Mapped mapped = mapWithoutBlocking(name, body);
            if (mapped != null) {
                return publish(mapped);
            }
        } catch (ApiProblemException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            requireAccepting(name);
            return map(name, body, mapper);
        }, blocking).thenCompose(this::publish);
    }

    /** The entities of a post, mapped, for {@code deployment}. */
    private record Mapped(String deployment, NgsiLdData data) {
    }

    /**
     * The post mapped without anything that can block, or null when that needs a database read (the deployment's
     * status is not known within {@link #STATUS_TTL}) or a remote {@code @context}.
     */
    private Mapped mapWithoutBlocking(String name, byte[] body) {
        if (!knownRunning(name)) {
            return null;
        }
        try {
            return map(name, body, localMapper);
        } catch (ApiProblemException e) {
            if (e.reason() == Reason.UNMAPPED_CONTEXT && localMapper != mapper) {
                return null;
            }
            throw e;
        }
    }

    private Mapped map(String name, byte[] body, NgsiLdMapper with) {
        String json = utf8(body);
        long at = lastIngestion.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis()));
        Instant ingestionTime = Instant.ofEpochMilli(at);
        NgsiLdData data;
        try {
            data = with.map(json, "request body", () -> ingestionTime);
        } catch (NgsiLdException e) {
            throw refusal(e);
        }
        if (data.entities().isEmpty()) {
            throw new ApiProblemException(Reason.INVALID_ENTITY, "the body holds no entity: send one NGSI-LD entity "
                    + "or an array of them");
        }
        return new Mapped(name, data);
    }

    private CompletionStage<Ingested> publish(Mapped mapped) {
        String name = mapped.deployment();
        Topics topics = topicsOf.computeIfAbsent(name, LocalTopics::of);
        List<TopicRecord> records = attributesFirst(lastPerKey(mapped.data().toTopicRecords(topics)), topics);
        int entities = 0;
        for (TopicRecord record : records) {
            if (record.topic().equals(topics.entities())) {
                entities++;
            }
        }
        Ingested ingested = new Ingested(name, entities, records.size() - entities, mapped.data().warnings());
        Broker target = broker();
        return target.commits.submit(records).handle((ok, failure) -> {
            if (failure != null) {
                throw unavailable(failure);
            }
            return ingested;
        });
    }

    /** The 503 for a group that failed or was not acknowledged in time ({@link GroupCommitPublisher#submit}). */
    static ApiProblemException unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return new ApiProblemException(Reason.SERVICE_UNAVAILABLE, "the local engine's Kafka did not take the "
                + "entities: " + cause.getMessage() + "; retry");
    }

    /**
     * The attribute records before the entity records: an entity that reaches the job after its attributes is
     * checked with them at once, so its checks do not fire for a moment first. (The job's settle window absorbs the
     * other order too, as it must on a cluster, where the platform writes them separately.)
     */
    private static List<TopicRecord> attributesFirst(List<TopicRecord> records, Topics topics) {
        List<TopicRecord> ordered = new ArrayList<>(records.size());
        records.stream().filter(r -> r.topic().equals(topics.attributes())).forEach(ordered::add);
        records.stream().filter(r -> !r.topic().equals(topics.attributes())).forEach(ordered::add);
        return ordered;
    }

    /** Within one request a later occurrence of a key replaces an earlier one (they share the ingestion time). */
    private static List<TopicRecord> lastPerKey(List<TopicRecord> records) {
        Map<String, TopicRecord> last = new LinkedHashMap<>();
        for (TopicRecord record : records) {
            String key = record.topic() + '\u0000' + record.key();
            last.remove(key);
            last.put(key, record);
        }
        return new ArrayList<>(last.values());
    }

    private static ApiProblemException refusal(NgsiLdException e) {
        return switch (e.reason()) {
            case JSON_SYNTAX -> new ApiProblemException(Reason.MALFORMED_JSON, e.getMessage(),
                    Map.of("line", e.line(), "column", e.column()));
            case UNMAPPED_CONTEXT, CONTEXT_UNREADABLE -> new ApiProblemException(Reason.UNMAPPED_CONTEXT,
                    e.getMessage() + "; map it to a local file with runner.ngsild.contexts.\"<url>\"=<file>, or "
                            + "send the context inline",
                    Map.of("url", e.url().orElse("")));
            case CONTEXT_UNAVAILABLE -> new ApiProblemException(Reason.CONTEXT_UNAVAILABLE,
                    e.getMessage() + "; send the context inline, or ask an operator to allow its host "
                            + "(runner.download.allow-hosts) or to map it (runner.ngsild.contexts.\"<url>\"=<file>)",
                    Map.of("url", e.url().orElse("")));
            case INVALID_JSON_LD, INVALID_ENTITY -> new ApiProblemException(Reason.INVALID_ENTITY, e.getMessage());
        };
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiProblemException(Reason.MALFORMED_JSON, "request body is not valid UTF-8");
        }
    }

    /** The producer on the engine's broker and the group commit in front of it, (re)created for its address. */
    private Broker broker() {
        // never starts the engine (seconds, and this may run on an event loop): a running deployment has it started
        String bootstrap = embedded.started().orElseThrow(() -> new ApiProblemException(Reason.SERVICE_UNAVAILABLE,
                "the local engine is not running (the service is stopping); retry")).bootstrapServers();
        Broker current = broker;
        if (current != null && current.bootstrap.equals(bootstrap)) {
            return current;
        }
        synchronized (this) {
            if (broker != null && broker.bootstrap.equals(bootstrap)) {
                return broker;
            }
            if (broker != null) {
                broker.close();
            }
            Duration timeout = deployConfig.kafka().publishTimeout();
            KafkaTopicPublisher producer = new KafkaTopicPublisher(Map.of("bootstrap.servers", bootstrap), timeout);
            // a request waits for the group ahead of it and for its own, each bounded by the publish timeout
            broker = new Broker(bootstrap, producer, new GroupCommitPublisher(producer, MAX_GROUP_RECORDS,
                    timeout.multipliedBy(2), "fjr-entity-commits"));
            return broker;
        }
    }

    private record Broker(String bootstrap, KafkaTopicPublisher producer, GroupCommitPublisher commits) {
        void close() {
            try {
                commits.close();
            } finally {
                producer.close();
            }
        }
    }

    /** Before the engine stops. */
    synchronized void stop(@Observes @Priority(15) ShutdownEvent event) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
