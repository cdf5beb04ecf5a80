package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.jobs.JobExecutor;
import io.flinkjobrunner.service.jobs.JobNotificationListener;
import io.flinkjobrunner.service.logs.JobEventLog;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Liveness is DOWN, naming why, when a thread every job of the replica depends on died: Kubernetes then restarts the
 * pod instead of leaving it accepting jobs that would wait forever.
 */
class JobWorkersLivenessCheckTest {

    @Test
    void aDeadEventWriterOrNotificationListenerTakesLivenessDown() {
        assertEquals(HealthCheckResponse.Status.UP, check(true, true).getStatus());

        HealthCheckResponse writerDead = check(false, true);
        assertEquals(HealthCheckResponse.Status.DOWN, writerDead.getStatus());
        assertEquals("the job event writer died: no job of this replica can record its progress",
                writerDead.getData().orElseThrow().get("reason"));

        HealthCheckResponse listenerDead = check(true, false);
        assertEquals(HealthCheckResponse.Status.DOWN, listenerDead.getStatus());
        assertEquals("the database notification listener died: claims and cross-replica logs stall",
                listenerDead.getData().orElseThrow().get("reason"));
    }

    private static HealthCheckResponse check(boolean writerAlive, boolean listenerAlive) {
        JobWorkersLivenessCheck check = new JobWorkersLivenessCheck();
        check.executor = new JobExecutor() {
            @Override
            public int aliveWorkers() {
                return 2;
            }

            @Override
            public Optional<String> unrecoverable() {
                return Optional.empty();
            }
        };
        check.config = config();
        check.events = new JobEventLog() {
            @Override
            public boolean alive() {
                return writerAlive;
            }
        };
        check.notifications = new JobNotificationListener() {
            @Override
            public boolean alive() {
                return listenerAlive;
            }
        };
        return check.call();
    }

    /** A configuration whose {@code jobs().concurrency()} is 2. */
    private static RunnerConfig config() {
        RunnerConfig.Jobs jobs = (RunnerConfig.Jobs) Proxy.newProxyInstance(RunnerConfig.class.getClassLoader(),
                new Class<?>[] {RunnerConfig.Jobs.class}, (proxy, method, args) -> {
                    if (method.getName().equals("concurrency")) {
                        return 2;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (RunnerConfig) Proxy.newProxyInstance(RunnerConfig.class.getClassLoader(),
                new Class<?>[] {RunnerConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("jobs")) {
                        return jobs;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
