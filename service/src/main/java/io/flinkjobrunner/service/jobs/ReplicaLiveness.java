package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.config.NodeIdentity;
import io.flinkjobrunner.service.store.SessionConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * Tells other replicas, within a heartbeat, that this process died. The replica registers in the {@code replicas}
 * table and holds a session-level advisory lock on a dedicated connection (not from the pool); when the process dies
 * its socket closes, PostgreSQL ends the session and the lock disappears from {@code pg_locks}. A replica whose lock
 * is gone and which has not refreshed {@code seen_at} for a grace period is dead: its jobs are taken over at once
 * instead of after their lease.
 *
 * <p>A frozen replica (SIGSTOP, a long GC pause, a network partition) keeps its session and lock: it is caught by the
 * lease, and every write it attempts after thawing is fenced. Node identity plays no part: the incarnation's owner tag
 * is registered, so a pod that comes back under another name (or the same) changes nothing.
 */
@ApplicationScoped
public class ReplicaLiveness {

    private static final Logger LOG = Logger.getLogger(ReplicaLiveness.class);

    /** First key of the replicas' advisory locks ('fjr2'); the second is {@code replicas.lock_key}. */
    static final int LOCK_CLASS = 1718252082;

    /**
     * Owners (registered replicas) that are dead: their lock is not held and they were not seen for the grace period
     * (parameter 1, seconds). The grace covers a replica re-establishing a dropped session.
     */
    static final String DEAD_OWNERS = "SELECT r.owner FROM replicas r WHERE r.seen_at < now() - make_interval(secs => ?) "
            + "AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted "
            + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            + "AND l.classid = " + LOCK_CLASS + "::oid AND l.objid = r.lock_key::oid AND l.objsubid = 2)";

    @Inject
    SessionConnections sessions;
    @Inject
    NodeIdentity node;

    private final SecureRandom random = new SecureRandom();
    private Connection connection;
    private Duration timeout = Duration.ofSeconds(5);

    /** Registers this replica and takes its lock; {@code timeout} bounds every statement on the dedicated session. */
    synchronized void start(Duration timeout) throws SQLException {
        this.timeout = timeout;
        connect();
    }

    /**
     * Confirms the session is alive and refreshes {@code seen_at}, reconnecting (new lock, same owner) if it dropped.
     *
     * @return false if the session had dropped or cannot be re-established (other replicas may consider this one
     *     dead: its jobs may have been taken over)
     */
    synchronized boolean beat() {
        try {
            if (connection != null && !connection.isClosed()) {
                // the session-level lock lives as long as this session: a statement that succeeds on it proves both
                try (PreparedStatement ps = connection.prepareStatement(
                        "UPDATE replicas SET seen_at = now() WHERE owner = ?")) {
                    ps.setString(1, node.owner());
                    if (ps.executeUpdate() == 1) {
                        return true;
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warnf("the liveness session of this replica dropped (%s); registering again", e.getMessage());
        }
        close();
        try {
            connect();
        } catch (SQLException e) {
            LOG.warnf("cannot register this replica's liveness: %s", e.getMessage());
        }
        return false;
    }

    /** Deregisters (graceful shutdown, after the jobs were handed back) and releases the lock. */
    synchronized void stop() {
        if (connection == null) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM replicas WHERE owner = ?")) {
            ps.setString(1, node.owner());
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.debugf("cannot deregister: %s", e.getMessage());
        }
        close();
    }

    /** Drops the rows of replicas that are dead and own no running job any more (their jobs were taken over). */
    static int forgetDead(Connection c, Duration grace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM replicas WHERE owner IN (" + DEAD_OWNERS + ") "
                + "AND NOT EXISTS (SELECT 1 FROM jobs WHERE status = 'RUNNING' AND jobs.owner = replicas.owner)")) {
            ps.setDouble(1, grace.toMillis() / 1000.0);
            return ps.executeUpdate();
        }
    }

    private void connect() throws SQLException {
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        Connection c = sessions.open(Map.of("tcpKeepAlive", "true", "socketTimeout", seconds,
                "connectTimeout", seconds, "ApplicationName", "fjr-liveness " + node.owner()));
        try {
            c.setAutoCommit(true);
            for (int tries = 0; ; tries++) {
                int key = 1 + random.nextInt(Integer.MAX_VALUE - 1);
                if (!tryLock(c, key)) {
                    if (tries > 10) {
                        throw new SQLException("cannot take a liveness lock");
                    }
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO replicas (owner, node_id, lock_key, "
                        + "started_at, seen_at) VALUES (?, ?, ?, now(), now()) ON CONFLICT (owner) DO UPDATE SET "
                        + "lock_key = EXCLUDED.lock_key, seen_at = EXCLUDED.seen_at")) {
                    ps.setString(1, node.owner());
                    ps.setString(2, node.nodeId());
                    ps.setInt(3, key);
                    ps.executeUpdate();
                    break;
                } catch (SQLException e) {
                    // the key belongs to a dead replica's row: release it and draw another
                    unlock(c, key);
                    if (!"23505".equals(e.getSQLState()) || tries > 10) {
                        throw e;
                    }
                }
            }
            connection = c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static boolean tryLock(Connection c, int key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c, int key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, key);
            ps.execute();
        }
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
            connection = null;
        }
    }
}
