package io.flinkjobrunner.service.targets.build;

import io.flinkjobrunner.service.config.BuildConfig;
import io.flinkjobrunner.planner.PlannerCheck;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Warms Flink's planner on a low-priority background thread at start (see {@link BuildConfig#plannerWarmUp}): the
 * planner check of the first build in a fresh JVM is several times slower than later ones (class loading, Calcite and
 * the code generator not yet compiled by the JIT). Startup does not wait for it, and a build that arrives meanwhile
 * simply runs its own check alongside.
 */
@ApplicationScoped
public class PlannerWarmUp {

    /** Rounds of the built-in unit: after these the check time has levelled off (docs/benchmarks.md). */
    static final int ROUNDS = 5;

    private static final Logger LOG = Logger.getLogger(PlannerWarmUp.class);

    @Inject
    BuildConfig config;

    void onStart(@Observes StartupEvent event) {
        if (config.plannerWarmUp()) {
            start(ROUNDS);
        }
    }

    /** Starts the warm-up; the future completes with each round's duration in milliseconds. */
    static CompletableFuture<List<Long>> start(int rounds) {
        CompletableFuture<List<Long>> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                List<Long> durations = PlannerCheck.warmUp(rounds);
                LOG.infof("Flink planner warmed up (%d planner checks of a built-in unit: %s ms)", rounds, durations);
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
