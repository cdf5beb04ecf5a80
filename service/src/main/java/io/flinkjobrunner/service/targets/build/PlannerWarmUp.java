package io.flinkjobrunner.service.targets.build;

import io.flinkjobrunner.planner.PlannerCheck;
import io.flinkjobrunner.service.config.BuildConfig;
import io.flinkjobrunner.service.engine.EmbeddedEngine;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Warms Flink's planner on a low-priority background thread at start (see {@link BuildConfig#plannerWarmUp}): the
 * planner check of the first build in a fresh JVM is several times slower than later ones (class loading, Calcite and
 * the code generator not yet compiled by the JIT). Startup does not wait for it, and a build that arrives meanwhile
 * simply runs its own check alongside.
 *
 * <p>It only uses a service that has nothing else to do: it stops after its current round once a build asks for a
 * planner check (which warms the same paths itself) or the local engine runs (deployments, simulations: their
 * validation and the entity feed need the cores: on two cores a fresh deployment took 1.3–3.2 times the entity posts
 * in its first 10 s once the warm-up stopped for it, docs/benchmarks.md).
 */
@ApplicationScoped
public class PlannerWarmUp {

    /** Rounds of the built-in unit: after these the check time has levelled off (docs/benchmarks.md). */
    static final int ROUNDS = 5;

    private static final Logger LOG = Logger.getLogger(PlannerWarmUp.class);

    @Inject
    BuildConfig config;

    @Inject
    EmbeddedEngine engine;

    void onStart(@Observes StartupEvent event) {
        if (config.plannerWarmUp()) {
            long checks = PlannerCheck.checks();
            start(ROUNDS, () -> idleSince(checks));
        }
    }

    /** True while no build has asked for a planner check since there were {@code checks}, and no local engine runs. */
    public boolean idleSince(long checks) {
        return PlannerCheck.checks() == checks && engine.started().isEmpty();
    }

    /**
     * Starts the warm-up of at most {@code rounds} rounds, each only while {@code idle} says the service has nothing
     * else to do; the future completes with each round's duration in milliseconds.
     */
    static CompletableFuture<List<Long>> start(int rounds, BooleanSupplier idle) {
        CompletableFuture<List<Long>> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                List<Long> durations = PlannerCheck.warmUp(rounds, idle);
                if (durations.size() == rounds) {
                    LOG.infof("Flink planner warmed up (%d planner checks of a built-in unit: %s ms)", rounds,
                            durations);
                } else {
                    LOG.infof("Flink planner warm-up stopped after %d of %d planner checks (%s ms): a build or the "
                            + "local engine needs the cores", durations.size(), rounds, durations);
                }
                done.complete(durations);
            } catch (RuntimeException | LinkageError e) {
                // a failed warm-up only means the first build's check is slow; the check itself reports real errors
                LOG.warn("Flink planner warm-up failed; the first planner check will run cold", e);
                done.completeExceptionally(e);
            }
        }, "planner-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return done;
    }
}
