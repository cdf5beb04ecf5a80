package io.flinkjobrunner.service.store;

import io.flinkjobrunner.service.state.DeploymentStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * PostgreSQL access to the {@code deployments} table. Only a job holding the deployment (see
 * {@link JobRepository#DEPLOYMENT_LOCK_INDEX}) writes its row, and only while its run still owns the job (its
 * {@link FencingToken} is checked in the write's transaction): a replica that lost a deploy job cannot overwrite what
 * the attempt that took over recorded.
 */
@ApplicationScoped
public class DeploymentRepository {

    private static final String SELECT = "SELECT name, backend, kube_context, namespace, status, since, source_job_id, "
            + "spec_sha256, script_sha256, detail, updated_at FROM deployments";

    @Inject
    DataSource dataSource;

    /** The deployment named {@code name}, if it was ever deployed. */
    public Optional<DeploymentRecord> find(String name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read deployment " + name, e);
        }
    }

    /** Every deployment, by name. */
    public List<DeploymentRecord> list() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY name")) {
            List<DeploymentRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(record(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list deployments", e);
        }
    }

    /**
     * A job starts changing a deployment ({@link DeploymentStatus#DEPLOYING} or {@link DeploymentStatus#UNDEPLOYING}):
     * creates the row or moves it to the job's backend and location, keeping the hashes of what is applied. Written
     * only while the run {@code job} still owns its job.
     *
     * @throws io.flinkjobrunner.service.state.OwnershipLostException if it does not
     */
    public void begin(FencingToken job, String name, String backend, Optional<String> kubeContext,
            Optional<String> namespace, DeploymentStatus status, Instant now) {
        try {
            job.write(dataSource, c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO deployments (name, backend, kube_context, "
                        + "namespace, status, since, source_job_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET backend = EXCLUDED.backend, "
                        + "kube_context = EXCLUDED.kube_context, namespace = EXCLUDED.namespace, "
                        + "status = EXCLUDED.status, since = EXCLUDED.since, source_job_id = EXCLUDED.source_job_id, "
                        + "detail = NULL, updated_at = EXCLUDED.updated_at")) {
                    ps.setString(1, name);
                    ps.setString(2, backend);
                    ps.setString(3, kubeContext.orElse(null));
                    ps.setString(4, namespace.orElse(null));
                    ps.setString(5, status.name());
                    ps.setTimestamp(6, Timestamp.from(now));
                    ps.setString(7, job.jobId());
                    ps.setTimestamp(8, Timestamp.from(now));
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("cannot record deployment " + name, e);
        }
    }

    /**
     * The job that changed the deployment ended: records the new status, what the backend said, and (when given) the
     * hashes of what is applied now. {@link DeploymentStatus#UNDEPLOYED} clears the hashes (nothing is applied).
     * Written only while the run {@code job} still owns its job: a replica that lost the job records nothing.
     *
     * @throws io.flinkjobrunner.service.state.OwnershipLostException if it does not
     */
    public void end(FencingToken job, String name, DeploymentStatus status, Optional<String> specSha256,
            Optional<String> scriptSha256, String detail, Instant now) {
        try {
            job.write(dataSource, c -> end(c, name, status, specSha256, scriptSha256, detail, now));
        } catch (SQLException e) {
            throw new StoreException("cannot record deployment " + name, e);
        }
    }

    /** As {@link #end(FencingToken, String, DeploymentStatus, Optional, Optional, String, Instant)}, outside a job. */
    public void end(String name, DeploymentStatus status, Optional<String> specSha256, Optional<String> scriptSha256,
            String detail, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            end(c, name, status, specSha256, scriptSha256, detail, now);
        } catch (SQLException e) {
            throw new StoreException("cannot record deployment " + name, e);
        }
    }

    private static void end(Connection c, String name, DeploymentStatus status, Optional<String> specSha256,
            Optional<String> scriptSha256, String detail, Instant now) throws SQLException {
        boolean undeployed = status == DeploymentStatus.UNDEPLOYED;
        String hashes = undeployed ? "spec_sha256 = NULL, script_sha256 = NULL"
                : "spec_sha256 = COALESCE(?, spec_sha256), script_sha256 = COALESCE(?, script_sha256)";
        try (PreparedStatement ps = c.prepareStatement("UPDATE deployments SET status = ?, since = ?, " + hashes
                + ", detail = ?, updated_at = ? WHERE name = ?")) {
            int i = 1;
            ps.setString(i++, status.name());
            ps.setTimestamp(i++, Timestamp.from(now));
            if (!undeployed) {
                ps.setString(i++, specSha256.orElse(null));
                ps.setString(i++, scriptSha256.orElse(null));
            }
            ps.setString(i++, detail);
            ps.setTimestamp(i++, Timestamp.from(now));
            ps.setString(i, name);
            ps.executeUpdate();
        }
    }

    private static DeploymentRecord record(ResultSet rs) throws SQLException {
        return new DeploymentRecord(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
                Optional.ofNullable(rs.getString(4)), DeploymentStatus.valueOf(rs.getString(5)),
                rs.getTimestamp(6).toInstant(), rs.getString(7), Optional.ofNullable(rs.getString(8)),
                Optional.ofNullable(rs.getString(9)), Optional.ofNullable(rs.getString(10)),
                rs.getTimestamp(11).toInstant());
    }
}
