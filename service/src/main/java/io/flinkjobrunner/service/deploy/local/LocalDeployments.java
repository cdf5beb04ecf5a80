package io.flinkjobrunner.service.deploy.local;

import io.flinkjobrunner.service.engine.EmbeddedEngine;
import io.flinkjobrunner.engine.EngineDirectories;
import io.flinkjobrunner.engine.LocalDeployment;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.service.config.DeployConfig;
import io.flinkjobrunner.service.deploy.DeploymentBackends;
import io.flinkjobrunner.service.state.DeploymentStatus;
import io.flinkjobrunner.service.store.DeploymentRecord;
import io.flinkjobrunner.service.store.DeploymentRepository;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The Flink jobs of the deployments on the local engine, and what keeps them across redeploys and restarts.
 *
 * <p>Per deployment, {@code <data-dir>/deployments/<name>/} holds {@code unit.sql} (the script that runs) and, while a
 * savepoint waits to be restored, {@code savepoint} (its path) next to the {@code savepoints/} directory.
 *
 * <p><b>State across a redeploy:</b> the running job is stopped with a savepoint and the new one restores it, so the
 * state is carried over. If the savepoint does not fit the new job graph (the SQL changed, e.g. a SPARQL constraint
 * was added), the new job starts without state and every source replays its topic from the earliest offset: the
 * entity and attribute topics keep every record, so the result is the same, only computed again. Such a job cannot
 * retract alerts (or inferred attributes) that only the previous job raised, so they are cleared before it starts and
 * raised again by the replay where they still hold.
 *
 * <p><b>State across a restart of the service:</b> a graceful shutdown stops every job with a savepoint; at the next
 * start the deployments the {@code deployments} table lists as RUNNING on the local backend are started again from
 * their savepoint. After a crash (no savepoint) they are started without state and replay their topics. The broker's
 * data lives under the data directory, so nothing fed before is lost either way.
 *
 * <p>The local engine belongs to this process: with several replicas sharing one database, run the local backend on a
 * single replica (a deployment runs where its deploy job ran).
 */
@ApplicationScoped
public class LocalDeployments {

    private static final Logger LOG = Logger.getLogger(LocalDeployments.class);
    private static final String UNIT = "unit.sql";
    private static final String SAVEPOINT = "savepoint";

    private final EmbeddedEngine embedded;
    private final DeploymentRepository deployments;
    private final DeployConfig deployConfig;
    private final DeploymentBackends backends;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Set<String> restoring = ConcurrentHashMap.newKeySet();

    @Inject
    LocalDeployments(EmbeddedEngine embedded, DeploymentRepository deployments, DeployConfig deployConfig,
            DeploymentBackends backends) {
        this.embedded = embedded;
        this.deployments = deployments;
        this.deployConfig = deployConfig;
        this.backends = backends;
    }

    /**
     * A job running for a deployment.
     *
     * @param name deployment name
     * @param job the Flink job
     * @param script the unit's SQL script
     * @param restoredFrom {@code savepoint} (state carried over) or {@code kafka} (started without state, sources
     *     replay their topics)
     * @param since when the job started running
     */
    public record Running(String name, LocalDeployment job, String script, String restoredFrom, Instant since) {
    }

    /** Why {@link #launch} returned without a running job. */
    public static final class LaunchCancelledException extends Exception {
        LaunchCancelledException() {
            super("cancelled while the job was starting; it was cancelled", null, false, false);
        }
    }

    /** The running job of {@code name}, if any. */
    public Optional<Running> running(String name) {
        return Optional.ofNullable(running.get(name));
    }

    /** True while {@code name} is being started again after a restart of the service. */
    public boolean restoring(String name) {
        return restoring.contains(name);
    }

    /** The directory of one deployment. */
    public Path directory(String name) {
        return embedded.dataDir().resolve("deployments").resolve(name);
    }

    /**
     * Holds the deployment's lock: a deploy or undeploy and the restore after a restart never act on one deployment
     * at the same time (jobs are already serialised per deployment by the submission lock).
     */
    public ReentrantLock lock(String name) {
        return locks.computeIfAbsent(name, n -> new ReentrantLock());
    }

    /**
     * Stops the running job of {@code name} with a savepoint in the deployment's directory.
     *
     * @return the stopped job and the savepoint path, empty if nothing was running
     */
    public Optional<Stopped> stop(String name) {
        Running current = running.remove(name);
        if (current == null) {
            return Optional.empty();
        }
        // savepoints of earlier stops are no longer needed once a later job ran; the running job may still fall back
        // to the one it was restored from, so they go only now
        deleteRecursively(directory(name).resolve("savepoints"));
        String savepoint = current.job().stopWithSavepoint(directory(name).resolve("savepoints"));
        return Optional.of(new Stopped(current, savepoint));
    }

    /**
     * A job stopped with a savepoint.
     *
     * @param job what ran
     * @param savepoint the savepoint's path
     */
    public record Stopped(Running job, String savepoint) {
    }

    /** Cancels the running job of {@code name} (its state is dropped), returning its Flink job id. */
    public Optional<String> cancel(String name) {
        Running current = running.remove(name);
        if (current == null) {
            return Optional.empty();
        }
        current.job().cancel();
        return Optional.of(current.job().jobId());
    }

    /**
     * Starts {@code script} for {@code name} and waits until every task runs: from {@code savepoint} when given, and
     * without state (replaying the topics) when there is none or it does not fit the job. On success the job is the
     * deployment's running job and the script is stored as its unit.
     *
     * <p>{@code replacing}: the job takes over from another unit or other semantic data (a deploy, not the restore of
     * the same unit). A job started without state never retracts the alerts and inferred attributes it did not raise
     * itself, so before it starts the current ones are cleared (tombstones) and the replay raises again those that
     * still hold; if it does not run, they are put back as they were.
     *
     * @param log receives one line per decision (savepoint restored, replay, job id)
     * @throws LocalEngineException when the job cannot start (reason and Flink's root cause in the message)
     * @throws LaunchCancelledException when {@code cancelled} became true first (the starting job was cancelled)
     */
    public Running launch(String name, String script, Optional<String> savepoint, boolean replacing,
            BooleanSupplier cancelled, Consumer<String> log) throws LaunchCancelledException {
        LocalEngine engine = embedded.engine();
        Duration timeout = deployConfig.deadline();
        Running started = null;
        if (savepoint.isPresent()) {
            LocalDeployment job = engine.deploy(script, savepoint.get());
            log.accept("Flink job " + job.jobId() + " submitted, restoring savepoint " + savepoint.get());
            try {
                await(job, timeout, cancelled);
                started = new Running(name, job, script, "savepoint", now());
                log.accept("Flink job " + job.jobId() + " runs with the state of the previous job (savepoint)");
            } catch (LocalEngineException e) {
                log.accept("the savepoint does not fit the new job (" + e.getMessage() + "); starting without "
                        + "state: every source replays its topic from the earliest offset");
            }
        }
        if (started == null) {
            List<TopicRecord> outputs = replacing ? currentOutputs(name) : List.of();
            if (!outputs.isEmpty()) {
                resetOutputs(name, List.of());
                log.accept("cleared the " + outputs.size() + " alerts and inferred attributes of the previous job: "
                        + "the new job raises again those that still hold");
            }
            try {
                LocalDeployment job = engine.deploy(script, null);
                log.accept("Flink job " + job.jobId() + " submitted without state: its sources read every topic from "
                        + "the earliest offset");
                await(job, timeout, cancelled);
                started = new Running(name, job, script, "kafka", now());
                log.accept("Flink job " + job.jobId() + " runs");
            } catch (LocalEngineException | LaunchCancelledException e) {
                if (!outputs.isEmpty()) {
                    resetOutputs(name, outputs);
                    log.accept("put back the " + outputs.size() + " alerts and inferred attributes of the previous "
                            + "job");
                }
                throw e;
            }
        }
        write(name, UNIT, script);
        running.put(name, started);
        deleteSavepointPointer(name);
        return started;
    }

    /** The current (latest, not deleted) record of every key of the job's output topics: alerts, inferred attributes. */
    private List<TopicRecord> currentOutputs(String name) {
        Topics topics = LocalTopics.of(name);
        List<TopicRecord> current = new ArrayList<>();
        for (String topic : List.of(topics.alertsBulk(), topics.attributesInsert())) {
            Map<String, TopicRecord> latest = new LinkedHashMap<>();
            for (TopicRecord record : embedded.engine().read(topic)) {
                latest.remove(record.key());
                if (record.value() != null) {
                    latest.put(record.key(), record);
                }
            }
            current.addAll(latest.values());
        }
        return current;
    }

    /** Makes {@code wanted} the current records of the output topics: tombstones for every other key. */
    private void resetOutputs(String name, List<TopicRecord> wanted) {
        long now = System.currentTimeMillis();
        Set<String> kept = new HashSet<>();
        wanted.forEach(record -> kept.add(record.topic() + '\n' + record.key()));
        List<TopicRecord> records = new ArrayList<>();
        for (TopicRecord record : currentOutputs(name)) {
            if (!kept.contains(record.topic() + '\n' + record.key())) {
                records.add(new TopicRecord(record.topic(), record.key(), null, now));
            }
        }
        wanted.forEach(record -> records.add(new TopicRecord(record.topic(), record.key(), record.value(), now)));
        embedded.engine().publish(records);
    }

    private static void await(LocalDeployment job, Duration timeout, BooleanSupplier cancelled)
            throws LaunchCancelledException {
        boolean runs;
        try {
            runs = job.awaitRunning(timeout, cancelled);
        } catch (LocalEngineException e) {
            cancelQuietly(job);
            throw e;
        }
        if (!runs) {
            cancelQuietly(job);
            throw new LaunchCancelledException();
        }
    }

    /** Forgets everything stored for {@code name} (after undeploy). */
    public void forget(String name) {
        running.remove(name);
        deleteRecursively(directory(name));
    }

    /** The script stored for {@code name}, if the deployment ran on this engine. */
    public Optional<String> storedUnit(String name) {
        Path file = directory(name).resolve(UNIT);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * At startup: starts again, in the background, every deployment the {@code deployments} table lists as RUNNING
     * on the local backend (from the savepoint taken at shutdown, else replaying the topics). The API answers 409
     * for their entities and alerts until they run.
     */
    void restore(@Observes StartupEvent event) {
        if (!DeploymentBackends.LOCAL.equals(backends.selected())) {
            return;
        }
        List<DeploymentRecord> toRestore = deployments.list().stream()
                .filter(r -> DeploymentBackends.LOCAL.equals(r.backend()) && r.status() == DeploymentStatus.RUNNING)
                .toList();
        if (toRestore.isEmpty()) {
            return;
        }
        toRestore.forEach(r -> restoring.add(r.name()));
        Thread thread = new Thread(() -> toRestore.forEach(this::restore), "fjr-local-restore");
        thread.setDaemon(true);
        thread.start();
    }

    private void restore(DeploymentRecord record) {
        String name = record.name();
        ReentrantLock lock = lock(name);
        lock.lock();
        try {
            Optional<String> script = storedUnit(name);
            if (script.isEmpty()) {
                deployments.end(name, DeploymentStatus.FAILED, Optional.empty(), Optional.empty(), "the local "
                        + "engine has no unit of this deployment in " + directory(name) + " (data directory changed "
                        + "or removed); deploy it again", now());
                return;
            }
            Optional<String> savepoint = read(name, SAVEPOINT);
            Running started = launch(name, script.get(), savepoint, false, () -> false,
                    line -> LOG.infof("restoring deployment '%s': %s", name, line));
            LOG.infof("deployment '%s' restored after restart (state from %s)", name, started.restoredFrom());
        } catch (LocalEngineException | LaunchCancelledException | UncheckedIOException e) {
            LOG.errorf("cannot restore deployment '%s' after restart: %s", name, e.getMessage());
            deployments.end(name, DeploymentStatus.FAILED, Optional.empty(), Optional.empty(), "could not be "
                    + "started again after a restart of the service: " + e.getMessage(), now());
        } finally {
            restoring.remove(name);
            lock.unlock();
        }
    }

    /**
     * At shutdown, after the job executor stopped: stops every job with a savepoint (restored at the next start),
     * then the engine.
     */
    void suspend(@Observes @Priority(20) ShutdownEvent event) {
        for (String name : List.copyOf(running.keySet())) {
            try {
                stop(name).ifPresent(stopped -> write(name, SAVEPOINT, stopped.savepoint()));
            } catch (RuntimeException e) {
                LOG.warnf("deployment '%s' stopped without a savepoint (it will replay its topics at the next "
                        + "start): %s", name, e.getMessage());
            }
        }
        embedded.close();
    }

    private void write(String name, String file, String content) {
        Path path = directory(name).resolve(file);
        try {
            Files.createDirectories(path.getParent());
            Path temporary = path.resolveSibling(file + ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    private Optional<String> read(String name, String file) {
        Path path = directory(name).resolve(file);
        try {
            return Files.exists(path) ? Optional.of(Files.readString(path, StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * A savepoint written at shutdown is restored at most once: after a crash later, the job replays its topics
     * instead of going back to that older state.
     */
    private void deleteSavepointPointer(String name) {
        try {
            Files.deleteIfExists(directory(name).resolve(SAVEPOINT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the savepoint pointer of " + name, e);
        }
    }

    private static void cancelQuietly(LocalDeployment job) {
        try {
            job.cancel();
        } catch (LocalEngineException e) {
            // the job already ended; nothing left to stop
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static void deleteRecursively(Path root) {
        try {
            EngineDirectories.delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
