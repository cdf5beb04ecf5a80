package io.flinkjobrunner.service.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL of the job state machine. Every method runs in the caller's transaction and checks its precondition. */
final class JobTransitions {

    /** Error of a job whose replica stopped while it ran. */
    static final String INTERRUPTED = "interrupted by restart";

    private JobTransitions() {
    }

    /** A claimed job. */
    record Claimed(String id, String target, Instant createdAt) {
    }

    /** A RUNNING job whose owner is gone. */
    record Orphan(String id, boolean cancelRequested) {
    }

    /** Claims the oldest queued job not locked by another replica. */
    static Optional<Claimed> claim(Connection c, String owner, Duration lease, Instant now) throws SQLException {
        String id;
        String target;
        Instant created;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, target, created_at FROM jobs WHERE status = 'QUEUED' "
                + "ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                id = rs.getString(1);
                target = rs.getString(2);
                created = rs.getTimestamp(3).toInstant();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'RUNNING', owner = ?, "
                + "lease_until = now() + make_interval(secs => ?), started_at = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, owner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setString(5, id);
            ps.executeUpdate();
        }
        return Optional.of(new Claimed(id, target, created));
    }

    /** Ends a job that never started (cancelled while queued). */
    static boolean finishQueued(Connection c, String id, JobStatus status, Instant now, String lastError)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, ended_at = ?, updated_at = ?, "
                + "last_error = ?, sealed_urls = NULL WHERE id = ? AND status = 'QUEUED'")) {
            ps.setString(1, status.name());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, lastError);
            ps.setString(5, id);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        skipPendingSteps(c, id, now);
        return true;
    }

    /**
     * Ends a RUNNING job. With a non-null {@code owner} only if this owner still holds it (a reaped job stays reaped).
     */
    static boolean finishRunning(Connection c, String id, String owner, JobStatus status, Instant now,
                                 String lastError) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, ended_at = ?, updated_at = ?, "
                + "last_error = ?, sealed_urls = NULL, lease_until = NULL WHERE id = ? AND status = 'RUNNING'"
                + (owner != null ? " AND owner = ?" : ""))) {
            ps.setString(1, status.name());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, lastError);
            ps.setString(5, id);
            if (owner != null) {
                ps.setString(6, owner);
            }
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        StepStatus interrupted = status == JobStatus.CANCELLED ? StepStatus.CANCELLED : StepStatus.FAILED;
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_steps SET status = ?, ended_at = ? "
                + "WHERE job_id = ? AND status = 'RUNNING'")) {
            ps.setString(1, interrupted.name());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, id);
            ps.executeUpdate();
        }
        skipPendingSteps(c, id, now);
        return true;
    }

    /** Marks a step RUNNING or ended, if the job is still held by this owner. */
    static boolean step(Connection c, String id, String owner, int position, StepStatus status, Instant now)
            throws SQLException {
        boolean starting = status == StepStatus.RUNNING;
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_steps SET status = ?, "
                + (starting ? "started_at" : "ended_at") + " = ? WHERE job_id = ? AND position = ? "
                + "AND EXISTS (SELECT 1 FROM jobs WHERE id = ? AND status = 'RUNNING' AND owner = ?)")) {
            ps.setString(1, status.name());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, id);
            ps.setInt(4, position);
            ps.setString(5, id);
            ps.setString(6, owner);
            return ps.executeUpdate() > 0;
        }
    }

    /** Renews the leases of this owner's jobs; returns the ids whose cancellation was requested. */
    static List<String> renewLeases(Connection c, String owner, Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET lease_until = now() + make_interval(secs => ?) "
                + "WHERE owner = ? AND status = 'RUNNING' RETURNING id, cancel_requested")) {
            ps.setDouble(1, lease.toMillis() / 1000.0);
            ps.setString(2, owner);
            List<String> cancel = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(2)) {
                        cancel.add(rs.getString(1));
                    }
                }
            }
            return cancel;
        }
    }

    /**
     * RUNNING jobs whose owner is gone: the lease expired, or (at startup) the owner is an earlier incarnation of this
     * node. Locked for the caller's transaction.
     */
    static List<Orphan> orphans(Connection c, String nodeId, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, cancel_requested FROM jobs WHERE status = 'RUNNING' "
                + "AND (lease_until < now() OR (owner <> ? AND split_part(owner, '/', 1) = ?)) "
                + "ORDER BY id FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, owner);
            ps.setString(2, nodeId);
            List<Orphan> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Orphan(rs.getString(1), rs.getBoolean(2)));
                }
            }
            return out;
        }
    }

    private static void skipPendingSteps(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_steps SET status = 'SKIPPED' "
                + "WHERE job_id = ? AND status = 'PENDING'")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }
}
