package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.state.StepStatus;
import io.flinkjobrunner.service.store.FencingToken;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** SQL of the job state machine. Every method runs in the caller's transaction and checks its precondition. */
final class JobTransitions {

    /** Outcome of an attempt whose replica was lost (crash, freeze past its lease). */
    static final String LOST = "LOST";
    /** Outcome of an attempt its replica gave back at shutdown. */
    static final String HANDED_BACK = "HANDED_BACK";

    private JobTransitions() {
    }

    /** A claimed job: the attempt number is the fencing token of this run. */
    record Claimed(String id, String target, Instant createdAt, int attempt, int lostAttempts) {
    }

    /** A lease renewed for one run. */
    record Renewed(String id, int attempt, boolean cancelRequested) {
    }

    /** A RUNNING job whose replica is gone, and why it is considered gone. */
    record Orphan(String id, String owner, int attempt, int lostAttempts, boolean cancelRequested, String why) {
    }

    /** Claims the oldest queued job not locked by another replica and starts a new attempt. */
    static Optional<Claimed> claim(Connection c, String owner, Duration lease, Instant now) throws SQLException {
        String id;
        String target;
        Instant created;
        int lost;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, target, created_at, lost_attempts FROM jobs "
                + "WHERE status = 'QUEUED' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                id = rs.getString(1);
                target = rs.getString(2);
                created = rs.getTimestamp(3).toInstant();
                lost = rs.getInt(4);
            }
        }
        int attempt;
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'RUNNING', owner = ?, "
                + "attempt = attempt + 1, lease_until = now() + make_interval(secs => ?), "
                + "started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ? RETURNING attempt")) {
            ps.setString(1, owner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setString(5, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                attempt = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_attempts (job_id, attempt, owner, started_at) "
                + "VALUES (?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setInt(2, attempt);
            ps.setString(3, owner);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        }
        return Optional.of(new Claimed(id, target, created, attempt, lost));
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
        skipPendingSteps(c, id);
        return true;
    }

    /**
     * Ends a RUNNING job. With a token only if that run still holds it (a reaped or requeued job stays so); without
     * one (the reaper, which locked the row and the job's fence) unconditionally.
     */
    static boolean finishRunning(Connection c, String id, FencingToken run, JobStatus status, Instant now,
                                 String lastError) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, ended_at = ?, updated_at = ?, "
                + "last_error = ?, sealed_urls = NULL, lease_until = NULL WHERE id = ? AND status = 'RUNNING'"
                + (run != null ? " AND owner = ? AND attempt = ?" : ""))) {
            ps.setString(1, status.name());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, lastError);
            ps.setString(5, id);
            if (run != null) {
                ps.setString(6, run.owner());
                ps.setInt(7, run.attempt());
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
        skipPendingSteps(c, id);
        endAttempt(c, id, null, status.name(), null, now);
        return true;
    }

    /**
     * Marks a step RUNNING or ended. Runs as the effect of the run's status event, after the event writer checked on
     * the locked job row that the run still holds the job; the condition is repeated here so the SQL stands alone.
     */
    static boolean step(Connection c, FencingToken run, int position, StepStatus status, Instant now)
            throws SQLException {
        boolean starting = status == StepStatus.RUNNING;
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_steps SET status = ?, "
                + (starting ? "started_at" : "ended_at") + " = ? WHERE job_id = ? AND position = ? "
                + "AND EXISTS (SELECT 1 FROM jobs WHERE id = ? AND status = 'RUNNING' AND owner = ? AND attempt = ?)")) {
            ps.setString(1, status.name());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, run.jobId());
            ps.setInt(4, position);
            ps.setString(5, run.jobId());
            ps.setString(6, run.owner());
            ps.setInt(7, run.attempt());
            ps.executeUpdate();
            return true;
        }
    }

    /**
     * Renews the leases of the jobs this replica runs (only those: a job whose run died in this process is not kept
     * alive by the heartbeat); returns the runs that still hold their job, with their cancel flag.
     */
    static List<Renewed> renewLeases(Connection c, String owner, Duration lease, Collection<String> ids)
            throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Array array = c.createArrayOf("text", ids.toArray());
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET lease_until = now() + make_interval(secs => ?) "
                + "WHERE owner = ? AND status = 'RUNNING' AND id = ANY (?) RETURNING id, attempt, cancel_requested")) {
            ps.setDouble(1, lease.toMillis() / 1000.0);
            ps.setString(2, owner);
            ps.setArray(3, array);
            List<Renewed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Renewed(rs.getString(1), rs.getInt(2), rs.getBoolean(3)));
                }
            }
            return out;
        } finally {
            array.free();
        }
    }

    /**
     * RUNNING jobs whose replica is gone, locked for the caller's transaction: the lease expired (the replica crashed,
     * froze or lost the database), or the replica's database session ended ({@link ReplicaLiveness}) and it was not
     * seen for {@code grace}. A job holding a deployment lock is only taken over once its lease expired: it changes
     * things PostgreSQL cannot fence (Kubernetes objects), and its replica stops changing them before the lease ends.
     */
    static List<Orphan> orphans(Connection c, Duration grace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT j.id, j.owner, j.attempt, j.lost_attempts, "
                + "j.cancel_requested, j.lease_until < now() AS expired, j.lease_until FROM jobs j "
                + "WHERE j.status = 'RUNNING' AND (j.lease_until < now() OR (j.deployment_lock IS NULL "
                + "AND j.owner IN (" + ReplicaLiveness.DEAD_OWNERS + "))) ORDER BY j.id FOR UPDATE OF j SKIP LOCKED")) {
            ps.setDouble(1, grace.toMillis() / 1000.0);
            List<Orphan> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String owner = rs.getString(2);
                    String why = rs.getBoolean(6)
                            ? "its replica " + owner + " stopped renewing its lease (expired at "
                                    + rs.getTimestamp(7).toInstant() + ")"
                            : "its replica " + owner + " is gone (its database session ended)";
                    out.add(new Orphan(rs.getString(1), owner, rs.getInt(3), rs.getInt(4), rs.getBoolean(5), why));
                }
            }
            return out;
        }
    }

    /**
     * Puts a RUNNING job back in the queue for another attempt: the steps not completed PENDING again, the attempt
     * ended with {@code outcome}. The completed steps, the artifacts and the input checksums stay: the next attempt
     * resumes from them ({@link io.flinkjobrunner.service.targets.ResumePlan}) or, starting over, clears them first.
     * With a token only if that run still holds the job.
     *
     * @param lost whether the attempt counts against {@code runner.jobs.max-attempts} (a graceful hand-back does not)
     */
    static boolean requeue(Connection c, String id, FencingToken run, String outcome, String detail, boolean lost,
                           Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'QUEUED', owner = NULL, "
                + "lease_until = NULL, lost_attempts = lost_attempts + ?, updated_at = ? WHERE id = ? "
                + "AND status = 'RUNNING'" + (run != null ? " AND owner = ? AND attempt = ?" : ""))) {
            ps.setInt(1, lost ? 1 : 0);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, id);
            if (run != null) {
                ps.setString(4, run.owner());
                ps.setInt(5, run.attempt());
            }
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        byJob(c, "UPDATE job_steps SET status = 'PENDING', started_at = NULL, ended_at = NULL WHERE job_id = ? "
                + "AND status <> 'SUCCEEDED'", id);
        endAttempt(c, id, run, outcome, detail, now);
        byJob(c, "SELECT pg_notify('" + JobExecutor.JOBS_CHANNEL + "', ?)", id);
        return true;
    }

    /** Runs one statement whose only parameter is the job id. */
    private static void byJob(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.execute();
        }
    }

    /** Records how the job's current attempt (the run's, or the last one) ended, unless it was recorded already. */
    static void endAttempt(Connection c, String id, FencingToken run, String outcome, String detail, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_attempts SET ended_at = ?, outcome = ?, detail = ? "
                + "WHERE job_id = ? AND ended_at IS NULL AND attempt = "
                + (run != null ? "?" : "(SELECT attempt FROM jobs WHERE id = ?)"))) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, outcome);
            ps.setString(3, detail);
            ps.setString(4, id);
            if (run != null) {
                ps.setInt(5, run.attempt());
            } else {
                ps.setString(5, id);
            }
            ps.executeUpdate();
        }
    }

    private static void skipPendingSteps(Connection c, String id) throws SQLException {
        byJob(c, "UPDATE job_steps SET status = 'SKIPPED' WHERE job_id = ? AND status = 'PENDING'", id);
    }
}
