package io.flinkjobrunner.service.local;

import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.service.config.RunnerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The one {@link LocalEngine} of this service process (the embedded mode): an in-process Kafka broker whose data lives
 * under {@link #dataDir()} and a Flink MiniCluster. Started on first use (a local deploy, or restoring deployments
 * after a restart) so that starting the service stays fast; closed by {@link LocalDeployments} at shutdown, after the
 * deployments are suspended.
 */
@ApplicationScoped
public class EmbeddedEngine {

    private static final Logger LOG = Logger.getLogger(EmbeddedEngine.class);

    private final Path dataDir;
    private LocalEngine engine;
    private Duration startup;

    @Inject
    EmbeddedEngine(RunnerConfig runner, LocalConfig config) {
        this.dataDir = config.dataDir().orElse(runner.workDir().resolve("local-engine")).toAbsolutePath();
    }

    /** The engine's directory: {@code kafka/} (broker data) and {@code deployments/<name>/} (unit, savepoints). */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The engine, started now if it is not running yet.
     *
     * @throws io.flinkjobrunner.engine.LocalEngineException with reason {@code STARTUP} if it cannot start
     */
    public synchronized LocalEngine engine() {
        if (engine == null) {
            long started = System.nanoTime();
            engine = LocalEngine.start(dataDir.resolve("kafka"));
            startup = Duration.ofNanos(System.nanoTime() - started);
            LOG.infof("local engine started in %d ms: Kafka at %s, data in %s", startup.toMillis(),
                    engine.bootstrapServers(), dataDir);
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

    /** Stops the engine; its Kafka data stays in {@link #dataDir()}. */
    synchronized void close() {
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
