package io.flinkjobrunner.service.engine;

import io.flinkjobrunner.service.config.LocalConfig;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.service.config.RunnerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The one {@link LocalEngine} of this service process: an in-process Kafka broker whose data lives under
 * {@link #dataDir()} and a Flink MiniCluster, shared by the local deploy backend, the {@code simulate} target and the
 * stream verdict of alert shape tests. Started on first use (a local deploy, restoring deployments after a restart,
 * a simulation, a shape test) so that starting the service stays fast; closed by the local deploy backend at
 * shutdown, after the deployments are suspended.
 *
 * <p>Scenarios run on fresh topics ({@link LocalEngine#scenarioPrefix}, deleted afterwards), so they never see a
 * deployment's data nor each other's; at most {@code runner.local.scenarios.concurrency} run at once
 * ({@link #scenario}), leaving task slots to the deployments. Scenario topics an interrupted process left behind are
 * deleted when the engine starts.
 */
@ApplicationScoped
public class EmbeddedEngine {

    private static final Logger LOG = Logger.getLogger(EmbeddedEngine.class);
    private static final long SLOT_POLL_MILLIS = 100;

    private final Path dataDir;
    private final int scenarioConcurrency;
    private final Semaphore scenarioSlots;
    private LocalEngine engine;
    private Duration startup;

    @Inject
    EmbeddedEngine(RunnerConfig runner, LocalConfig config) {
        this(config.dataDir().orElse(runner.workDir().resolve("local-engine")), config.scenarios().concurrency());
    }

    /** An engine with its data in {@code dataDir}, running at most {@code scenarioConcurrency} scenarios at once. */
    EmbeddedEngine(Path dataDir, int scenarioConcurrency) {
        this.dataDir = dataDir.toAbsolutePath();
        this.scenarioConcurrency = scenarioConcurrency;
        if (scenarioConcurrency < 1) {
            throw new IllegalArgumentException("runner.local.scenarios.concurrency must be at least 1, got "
                    + scenarioConcurrency);
        }
        this.scenarioSlots = new Semaphore(scenarioConcurrency, true);
    }

    /** The engine's directory: {@code kafka/} (broker data) and {@code deployments/<name>/} (unit, savepoints). */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The engine, started now if it is not running yet.
     *
     * @throws LocalEngineException with reason {@code STARTUP} if it cannot start
     */
    public synchronized LocalEngine engine() {
        if (engine == null) {
            long started = System.nanoTime();
            LocalEngine fresh = LocalEngine.start(dataDir.resolve("kafka"));
            startup = Duration.ofNanos(System.nanoTime() - started);
            LOG.infof("local engine started in %d ms: Kafka at %s, data in %s", startup.toMillis(),
                    fresh.bootstrapServers(), dataDir);
            try {
                Set<String> leftovers = fresh.deleteScenarioTopics();
                if (!leftovers.isEmpty()) {
                    LOG.infof("deleted %d topics of scenarios an earlier run left behind", leftovers.size());
                }
            } catch (LocalEngineException e) {
                LOG.warnf("cannot delete the topics of interrupted scenarios (they stay unused): %s", e.getMessage());
            }
            engine = fresh;
        }
        return engine;
    }

    /** The engine if it was started. */
    public synchronized Optional<LocalEngine> started() {
        return Optional.ofNullable(engine);
    }

    /** How long the last start took (empty before the first start). */
    public synchronized Optional<Duration> startup() {
        return Optional.ofNullable(startup);
    }

    /** How many scenarios may run at once ({@code runner.local.scenarios.concurrency}). */
    public int scenarioConcurrency() {
        return scenarioConcurrency;
    }

    /** True if every scenario slot is taken right now (a new scenario would wait). */
    public boolean scenarioSlotsBusy() {
        return scenarioSlots.availablePermits() == 0;
    }

    /**
     * Runs one scenario on the engine (started now if needed) once one of the scenario slots is free. The scenario
     * must use fresh topics ({@link LocalEngine#scenarioPrefix}) and delete them.
     *
     * @param stop polled while waiting for a slot; when it returns true the scenario does not run
     * @return what {@code scenario} returned, or empty if {@code stop} ended the wait for a slot
     * @throws LocalEngineException if the engine cannot start, or from {@code scenario}
     */
    public <T> Optional<T> scenario(BooleanSupplier stop, Function<LocalEngine, T> scenario)
            throws InterruptedException {
        while (!scenarioSlots.tryAcquire(SLOT_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (stop.getAsBoolean()) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(scenario.apply(engine()));
        } finally {
            scenarioSlots.release();
        }
    }

    /**
     * Stops the engine (at shutdown, once the local deployments are suspended); its Kafka data stays in
     * {@link #dataDir()}.
     */
    public synchronized void close() {
        if (engine != null) {
            try {
                engine.close();
            } catch (RuntimeException e) {
                LOG.warnf("the local engine did not stop cleanly: %s", e.getMessage());
            }
            engine = null;
        }
    }
}
