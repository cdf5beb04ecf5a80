package io.flinkjobrunner.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The embedded local engine (env {@code RUNNER_LOCAL_*}): used by the deploy targets when Kubernetes deploy is off,
 * and by the {@code simulate} target and alert shape tests always.
 */
@ConfigMapping(prefix = "runner.local")
public interface LocalConfig {

    /**
     * Where the engine keeps its Kafka data, the deployed units and their savepoints; default
     * {@code <runner.work-dir>/local-engine}. Deployments survive a restart of the service as long as this directory
     * does.
     */
    @WithName("data-dir")
    Optional<Path> dataDir();

    /**
     * Parallelism of a deployment's Flink job when its job context names none ({@code context.parallelism}); at most
     * {@link io.flinkjobrunner.engine.LocalEngine#MAX_PARALLELISM}, the task slots of the MiniCluster that scenarios
     * and the other deployments share too.
     */
    @WithDefault("1")
    int parallelism();

    /** Alert streams of the deployments. */
    Alerts alerts();

    /** Scenarios on the engine: the {@code simulate} target and the stream verdict of alert shape tests. */
    Scenarios scenarios();

    /** Scenario settings. */
    interface Scenarios {
        /**
         * Scenarios running at once; more wait for a free slot. Each bounded scenario job takes one of the
         * MiniCluster's 8 task slots, which the local deployments need too.
         */
        @WithDefault("2")
        int concurrency();

        /** How long the Flink job of one {@code simulate} scenario may run before it is cancelled (job FAILED). */
        @WithDefault("PT5M")
        Duration timeout();
    }

    /** Alert stream settings. */
    interface Alerts {
        /**
         * Bytes of recent alert events kept per deployment for exact {@code Last-Event-ID} resume and slow viewers;
         * a viewer further behind gets the latest event of every alert that changed since its id instead.
         */
        @WithName("retained-bytes")
        @WithDefault("4194304")
        int retainedBytes();
    }
}
