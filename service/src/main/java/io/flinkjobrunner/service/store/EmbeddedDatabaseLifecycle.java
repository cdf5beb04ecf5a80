package io.flinkjobrunner.service.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Logs the total startup time (including the embedded database) and stops the embedded database after everything
 * else has shut down (observers with a lower priority run first: the event writer flushes before this).
 */
@ApplicationScoped
public class EmbeddedDatabaseLifecycle {

    void started(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        Logger.getLogger(EmbeddedDatabaseLifecycle.class).infof("flink-job-runner ready in %d ms since process start",
                System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    void stop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        EmbeddedDatabase.stopProcessDatabase();
    }
}
