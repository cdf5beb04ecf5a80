package io.flinkjobrunner.service.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Jobs another replica runs, as it leaves them in the shared database: a RUNNING "testing" job with its owner, attempt
 * and lease, its three steps (emit done, gate running, produce pending) and its attempts (earlier ones on other nodes).
 */
public final class OtherReplicaJobs {

    private OtherReplicaJobs() {
    }

    /**
     * Inserts a RUNNING job.
     *
     * @param leaseExpr SQL for {@code lease_until}, e.g. {@code now() - interval '1 second'}
     * @param deploymentLock the deployment it holds, or null
     */
    public static void insertRunning(DataSource dataSource, String id, String owner, int attempt, int lostAttempts,
                                     String leaseExpr, boolean cancelRequested, String deploymentLock)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (id, target, status, request_mac, context, "
                    + "created_at, updated_at, started_at, owner, lease_until, cancel_requested, attempt, "
                    + "lost_attempts, deployment_lock) VALUES (?, 'testing', 'RUNNING', 'mac', "
                    + "'{\"deployment\":\"shacl\"}', now(), now(), now(), ?, " + leaseExpr + ", ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, owner);
                ps.setBoolean(3, cancelRequested);
                ps.setInt(4, attempt);
                ps.setInt(5, lostAttempts);
                ps.setString(6, deploymentLock);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_steps (job_id, position, name, status, "
                    + "started_at) VALUES (?, 0, 'emit', 'SUCCEEDED', now()), (?, 1, 'gate', 'RUNNING', now()), "
                    + "(?, 2, 'produce', 'PENDING', NULL)")) {
                ps.setString(1, id);
                ps.setString(2, id);
                ps.setString(3, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_attempts (job_id, attempt, owner, "
                    + "started_at) VALUES (?, ?, ?, now())")) {
                for (int a = 1; a <= attempt; a++) {
                    ps.setString(1, id);
                    ps.setInt(2, a);
                    ps.setString(3, a == attempt ? owner : "node-" + a + "/x");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** Ends a job the test left RUNNING for a replica that does not exist, so no later test sees it. */
    public static void end(DataSource dataSource, String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE jobs SET status = 'FAILED', ended_at = now(), lease_until = NULL WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }
}
