package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.config.NodeIdentity;
import io.flinkjobrunner.service.logs.LogHub;
import io.flinkjobrunner.service.store.EventStore;
import io.flinkjobrunner.service.store.SessionConnections;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Receives PostgreSQL notifications on a dedicated connection (not from the pool: LISTEN is per session): new events
 * of other replicas are fanned out to local subscribers, queued jobs wake the workers, cancel requests reach the owner.
 */
@ApplicationScoped
public class JobNotificationListener {

    private static final Logger LOG = Logger.getLogger(JobNotificationListener.class);

    @Inject
    SessionConnections sessions;
    @Inject
    LogHub hub;
    @Inject
    JobExecutor executor;
    @Inject
    NodeIdentity node;

    private volatile boolean stopping;
    private volatile Connection connection;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::listen, "fjr-pg-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing on shutdown; nothing to do
            }
        }
    }

    /** Whether the listening thread runs (from startup until shutdown). */
    public boolean alive() {
        return thread == null || thread.isAlive();
    }

    private void listen() {
        boolean reconnect = false;
        while (!stopping) {
            try (Connection c = sessions.open(Map.of())) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + EventStore.EVENTS_CHANNEL);
                    s.execute("LISTEN " + JobExecutor.JOBS_CHANNEL);
                    s.execute("LISTEN " + JobExecutor.CANCEL_CHANNEL);
                }
                if (reconnect) {
                    // notifications sent while we were disconnected are lost: re-read from the database
                    hub.resynchronize();
                    executor.wakeUp();
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!stopping) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            dispatch(n);
                        }
                    }
                }
            } catch (Throwable e) {
                // an Error too (e.g. the heap exhausted by a job): without this thread no replica's events reach the
                // viewers here and no claim is woken, so it reconnects rather than dies
                if (!stopping) {
                    LOG.warnf("notification listener lost its connection (%s); reconnecting", e.toString());
                    reconnect = true;
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    private void dispatch(PGNotification n) {
        String channel = n.getName();
        String payload = n.getParameter();
        if (channel.equals(EventStore.EVENTS_CHANNEL)) {
            String[] parts = payload.split(" ");
            if (parts.length == 3 && !parts[0].equals(node.owner())) {
                hub.remoteEvents(parts[1], Long.parseLong(parts[2]));
            }
        } else if (channel.equals(JobExecutor.JOBS_CHANNEL)) {
            executor.wakeUp();
        } else if (channel.equals(JobExecutor.CANCEL_CHANNEL)) {
            executor.cancelLocally(payload);
        }
    }
}
