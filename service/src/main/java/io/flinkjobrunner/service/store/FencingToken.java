package io.flinkjobrunner.service.store;

import io.flinkjobrunner.service.state.OwnershipLostException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The run of a job a write belongs to: the job, the replica incarnation that claimed it and the number of that claim.
 * Every write a job makes is conditional on the token still naming the job's current run, checked in the write's own
 * transaction ({@link #hold}); a replica that lost the job (reaped, taken over, handed back) can write nothing more.
 *
 * <p>The check and the takeover are serialised by a per-job advisory lock: writers hold it shared for their transaction,
 * a takeover needs it exclusively ({@link #tryTakeOver}), so ownership cannot change between a writer's check and its
 * commit, and writers never block each other or the event writer (which serialises on the job row instead).
 */
public record FencingToken(String jobId, String owner, int attempt, Duration idleLimit) {

    /** First key of the per-job advisory lock ('fjrf'); the second is {@code hashtext(job id)}. */
    static final int FENCE_LOCK_CLASS = 1718252134;

    /**
     * Takes the job's fence lock shared for the caller's transaction and checks the token names the job's current run.
     * A frozen writer cannot hold the lock forever: PostgreSQL ends the transaction once it is idle for
     * {@link #idleLimit} (the lease: a takeover waits that long anyway).
     *
     * @throws OwnershipLostException when the job ended, was requeued or belongs to another run
     */
    public void hold(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('idle_in_transaction_session_timeout', ?, "
                + "true), pg_advisory_xact_lock_shared(?, hashtext(?))")) {
            ps.setString(1, Long.toString(Math.max(1000, idleLimit.toMillis())));
            ps.setInt(2, FENCE_LOCK_CLASS);
            ps.setString(3, jobId);
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT status, owner, attempt FROM jobs WHERE id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw lost("the job was deleted");
                }
                String refusal = refusal(rs.getString(1), rs.getString(2), rs.getInt(3));
                if (refusal != null) {
                    throw lost(refusal);
                }
            }
        }
    }

    /** Runs {@code write} in its own transaction on a connection of {@code dataSource}, holding this token. */
    public void write(DataSource dataSource, Transaction.Statements write) throws SQLException {
        Transaction.run(dataSource::getConnection, c -> {
            hold(c);
            write.run(c);
            return null;
        });
    }

    /**
     * Why a job row in this state refuses this token's writes, or null if it accepts them (RUNNING, same owner, same
     * attempt).
     */
    public String refusal(String status, String currentOwner, int currentAttempt) {
        if (!"RUNNING".equals(status)) {
            return "the job is " + status + " now";
        }
        if (!owner.equals(currentOwner) || attempt != currentAttempt) {
            return "attempt " + currentAttempt + " by " + currentOwner + " runs it now";
        }
        return null;
    }

    /**
     * Tries to take the job's fence lock exclusively for the caller's transaction, before it ends, requeues or hands
     * back the job: false while a writer of the job is inside a transaction (try again later).
     */
    public static boolean tryTakeOver(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?, hashtext(?))")) {
            ps.setInt(1, FENCE_LOCK_CLASS);
            ps.setString(2, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Takes the job's fence lock exclusively, waiting at most {@code wait} for its writers' transactions to end. On
     * false the caller's transaction is aborted and must be rolled back.
     */
    public static boolean takeOver(Connection c, String jobId, Duration wait) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            ps.setString(1, Long.toString(Math.max(1, wait.toMillis())));
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            ps.setInt(1, FENCE_LOCK_CLASS);
            ps.setString(2, jobId);
            ps.execute();
            return true;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private OwnershipLostException lost(String why) {
        return new OwnershipLostException("job " + jobId + " is no longer run by " + owner + " (attempt " + attempt
                + "): " + why);
    }

    @Override
    public String toString() {
        return jobId + " attempt " + attempt + " by " + owner;
    }
}
