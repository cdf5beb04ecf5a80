package io.flinkjobrunner.service.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.service.digest.Sha256;
import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.state.JobContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** PostgreSQL access for jobs, steps, inputs and artifacts. */
@ApplicationScoped
public class JobRepository {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    /** A connection from the pool (caller closes it). */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Name of the unique index that lets one job at a time hold a deployment. */
    public static final String DEPLOYMENT_LOCK_INDEX = "jobs_deployment_lock";

    /**
     * Inserts a new QUEUED job with its pending steps and inputs. Returns false if the id already exists.
     *
     * @param deploymentLock the deployment the job changes, or null; a QUEUED or RUNNING job holding the same
     *     deployment makes the insert fail with a unique violation of {@link #DEPLOYMENT_LOCK_INDEX}
     */
    public boolean insert(Connection c, String id, String target, String requestMac, JobContext context,
                          String deploymentLock, byte[] sealedUrls, Map<String, String> redactedUrls,
                          List<String> stepNames, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO jobs (id, target, status, request_mac, context, deployment_lock, sealed_urls, created_at, "
                        + "updated_at) VALUES (?, ?, 'QUEUED', ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, id);
            ps.setString(2, target);
            ps.setString(3, requestMac);
            ps.setString(4, contextJson(context));
            ps.setString(5, deploymentLock);
            ps.setBytes(6, sealedUrls);
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setTimestamp(8, Timestamp.from(now));
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO job_steps (job_id, position, name, status) VALUES (?, ?, ?, 'PENDING')")) {
            for (int i = 0; i < stepNames.size(); i++) {
                ps.setString(1, id);
                ps.setInt(2, i);
                ps.setString(3, stepNames.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO job_inputs (job_id, name, redacted_url) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> e : redactedUrls.entrySet()) {
                ps.setString(1, id);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return true;
    }

    /** The QUEUED or RUNNING job holding {@code deployment} (id and status), if any. */
    public Optional<Map.Entry<String, JobStatus>> deploymentHolder(Connection c, String deployment)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, status FROM jobs WHERE deployment_lock = ? "
                + "AND status IN ('QUEUED', 'RUNNING')")) {
            ps.setString(1, deployment);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Map.entry(rs.getString(1), JobStatus.valueOf(rs.getString(2))))
                        : Optional.empty();
            }
        }
    }

    /** Loads a job with its steps and inputs. */
    public Optional<JobRecord> find(String id) {
        try (Connection c = connection()) {
            return find(c, id, false);
        } catch (SQLException e) {
            throw new StoreException("cannot read job", e);
        }
    }

    /** Loads a job; {@code lock} takes a row lock for the rest of the caller's transaction. */
    public Optional<JobRecord> find(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_JOB + " WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(job(rs, steps(c, id), inputs(c, id), attempts(c, id)));
            }
        }
    }

    /** Newest first, optionally filtered by status. Steps and inputs are not loaded. */
    public List<JobRecord> list(Optional<JobStatus> status, int offset, int limit) {
        String sql = SELECT_JOB + (status.isPresent() ? " WHERE status = ?" : "")
                + " ORDER BY created_at DESC, id DESC OFFSET ? LIMIT ?";
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (status.isPresent()) {
                ps.setString(i++, status.get().name());
            }
            ps.setInt(i++, offset);
            ps.setInt(i, limit);
            List<JobRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(job(rs, List.of(), List.of(), List.of()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list jobs", e);
        }
    }

    /** Number of jobs, optionally with one status. */
    public long count(Optional<JobStatus> status) {
        String sql = "SELECT count(*) FROM jobs" + (status.isPresent() ? " WHERE status = ?" : "");
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (status.isPresent()) {
                ps.setString(1, status.get().name());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count jobs", e);
        }
    }

    /** The encrypted input URLs of a job, if not yet erased. */
    public Optional<byte[]> sealedUrls(String id) {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT sealed_urls FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read job inputs", e);
        }
    }

    /** Records size and checksum of a downloaded input, if the run {@code token} still owns the job. */
    public void inputDownloaded(FencingToken token, String name, String redactedUrl, long bytes, String sha256) {
        fenced(token, "record input", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO job_inputs (job_id, name, redacted_url, bytes, sha256) VALUES (?, ?, ?, ?, ?) "
                            + "ON CONFLICT (job_id, name) DO UPDATE SET bytes = EXCLUDED.bytes, "
                            + "sha256 = EXCLUDED.sha256, redacted_url = EXCLUDED.redacted_url")) {
                ps.setString(1, token.jobId());
                ps.setString(2, name);
                ps.setString(3, redactedUrl);
                ps.setLong(4, bytes);
                ps.setString(5, sha256);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Clears what earlier attempts left (steps PENDING, artifacts dropped, input checksums forgotten) for an attempt
     * that runs every step again, if the run {@code token} still owns the job.
     */
    public void startOver(FencingToken token) {
        fenced(token, "start over", c -> {
            for (String sql : List.of(
                    "UPDATE job_steps SET status = 'PENDING', started_at = NULL, ended_at = NULL WHERE job_id = ?",
                    "DELETE FROM job_artifacts WHERE job_id = ?",
                    "UPDATE job_inputs SET bytes = NULL, sha256 = NULL WHERE job_id = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, token.jobId());
                    ps.executeUpdate();
                }
            }
        });
    }

    /** True if cancellation of the job was requested (by any replica). */
    public boolean cancelRequested(String id) {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT cancel_requested FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read job", e);
        }
    }

    /**
     * Stores or replaces an artifact, if the run {@code token} still owns the job.
     *
     * @throws io.flinkjobrunner.service.state.OwnershipLostException if it does not
     */
    public void putArtifact(FencingToken token, String name, String mediaType, byte[] content, Instant now) {
        String sha256 = Sha256.hex(content);
        fenced(token, "store artifact", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO job_artifacts (job_id, name, media_type, content, bytes, sha256, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, name) DO UPDATE SET "
                            + "media_type = EXCLUDED.media_type, content = EXCLUDED.content, "
                            + "bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, created_at = EXCLUDED.created_at")) {
                ps.setString(1, token.jobId());
                ps.setString(2, name);
                ps.setString(3, mediaType);
                ps.setBytes(4, content);
                ps.setLong(5, content.length);
                ps.setString(6, sha256);
                ps.setTimestamp(7, Timestamp.from(now));
                ps.executeUpdate();
            }
        });
    }

    /** Runs a write of the run {@code token} in its own transaction holding the token. */
    private void fenced(FencingToken token, String what, Transaction.Statements write) {
        try {
            token.write(dataSource, write);
        } catch (SQLException e) {
            throw new StoreException("cannot " + what, e);
        }
    }

    /**
     * Stores or replaces an artifact with the content of {@code file}, streamed to the database: the file is read
     * twice (digest, then upload) and never held in memory, so a job's heap does not bound its artifacts' size.
     */
    public void putArtifact(FencingToken token, String name, String mediaType, Path file, Instant now)
            throws IOException {
        long size = Files.size(file);
        String sha256 = Sha256.hex(file);
        fenced(token, "store artifact", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO job_artifacts (job_id, name, media_type, content, bytes, sha256, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, name) DO UPDATE SET "
                            + "media_type = EXCLUDED.media_type, content = EXCLUDED.content, "
                            + "bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, created_at = EXCLUDED.created_at");
                 InputStream in = Files.newInputStream(file)) {
                ps.setString(1, token.jobId());
                ps.setString(2, name);
                ps.setString(3, mediaType);
                ps.setBinaryStream(4, in, size);
                ps.setLong(5, size);
                ps.setString(6, sha256);
                ps.setTimestamp(7, Timestamp.from(now));
                ps.executeUpdate();
            } catch (IOException e) {
                throw new SQLException("cannot read artifact file " + file.getFileName(), e);
            }
        });
    }

    /** Artifacts of a job, by name. */
    public List<ArtifactRecord> artifacts(String id) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT name, media_type, bytes, sha256, created_at FROM job_artifacts WHERE job_id = ? ORDER BY name")) {
            ps.setString(1, id);
            List<ArtifactRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ArtifactRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list artifacts", e);
        }
    }

    /** Bytes of an artifact read per query when it is streamed: what a download holds in memory at most. */
    static final int ARTIFACT_CHUNK = 1 << 20;

    /** Media type of one artifact, if the job has it (its content: {@link #writeArtifact}). */
    public Optional<String> artifactMediaType(String id, String name) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT media_type FROM job_artifacts WHERE job_id = ? AND name = ?")) {
            ps.setString(1, id);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read artifact", e);
        }
    }

    /**
     * Writes one artifact's content to {@code out}, {@link #ARTIFACT_CHUNK} bytes per query (the driver reads a
     * {@code bytea} whole, so one query for a unit's 100 MB of semantic rows would hold them all in the heap), all
     * from one snapshot so that an artifact replaced meanwhile is never served half old, half new.
     *
     * @return false if the job has no such artifact (nothing was written)
     */
    public boolean writeArtifact(String id, String name, OutputStream out) throws IOException {
        try (Connection c = connection()) {
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement size = c.prepareStatement(
                    "SELECT octet_length(content) FROM job_artifacts WHERE job_id = ? AND name = ?");
                 PreparedStatement chunk = c.prepareStatement(
                    "SELECT substring(content FROM ? FOR ?) FROM job_artifacts WHERE job_id = ? AND name = ?")) {
                size.setString(1, id);
                size.setString(2, name);
                long length;
                try (ResultSet rs = size.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    length = rs.getLong(1);
                }
                chunk.setInt(2, ARTIFACT_CHUNK);
                chunk.setString(3, id);
                chunk.setString(4, name);
                for (long from = 0; from < length; from += ARTIFACT_CHUNK) {
                    // a bytea holds at most 1 GB, and substring takes int positions
                    chunk.setInt(1, Math.toIntExact(from + 1));
                    try (ResultSet rs = chunk.executeQuery()) {
                        rs.next();
                        out.write(rs.getBytes(1));
                    }
                }
                return true;
            } finally {
                c.rollback();
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read artifact", e);
        }
    }

    /** Deletes a job (cascades to steps, inputs, events, artifacts) if it is terminal. */
    public boolean deleteTerminal(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM jobs WHERE id = ? AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')")) {
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    /** Ids of terminal jobs that ended before a cut-off. */
    public List<String> terminalEndedBefore(Instant cutoff, int limit) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM jobs WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND updated_at < ? "
                        + "ORDER BY updated_at LIMIT ?")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list old jobs", e);
        }
    }

    /** Reads the whole event sequence position of a job (0 if it has none). */
    public long lastSeq(String id) {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read job", e);
        }
    }

    private static final String SELECT_JOB = "SELECT id, target, status, context::text, created_at, updated_at, "
            + "started_at, ended_at, last_error, owner, cancel_requested, last_seq, request_mac, attempt FROM jobs";

    private static JobRecord job(ResultSet rs, List<JobRecord.StepRecord> steps, List<JobRecord.InputRecord> inputs,
                                 List<JobRecord.AttemptRecord> attempts) throws SQLException {
        return new JobRecord(rs.getString(1), rs.getString(2), JobStatus.valueOf(rs.getString(3)),
                context(rs.getString(4)), instant(rs, 5), instant(rs, 6), instant(rs, 7), instant(rs, 8),
                rs.getString(9), rs.getString(10), rs.getBoolean(11), rs.getLong(12), rs.getString(13), rs.getInt(14),
                steps, inputs, attempts);
    }

    private static List<JobRecord.AttemptRecord> attempts(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt, owner, started_at, ended_at, outcome, detail "
                + "FROM job_attempts WHERE job_id = ? ORDER BY attempt")) {
            ps.setString(1, id);
            List<JobRecord.AttemptRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JobRecord.AttemptRecord(rs.getInt(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
                            rs.getString(5), rs.getString(6)));
                }
            }
            return out;
        }
    }

    private static List<JobRecord.StepRecord> steps(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, status, started_at, ended_at FROM job_steps WHERE job_id = ? ORDER BY position")) {
            ps.setString(1, id);
            List<JobRecord.StepRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JobRecord.StepRecord(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4)));
                }
            }
            return out;
        }
    }

    private static List<JobRecord.InputRecord> inputs(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, redacted_url, bytes, sha256 FROM job_inputs WHERE job_id = ? ORDER BY name")) {
            ps.setString(1, id);
            List<JobRecord.InputRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long bytes = rs.getLong(3);
                    Long known = rs.wasNull() ? null : bytes;
                    out.add(new JobRecord.InputRecord(rs.getString(1), rs.getString(2), known, rs.getString(4)));
                }
            }
            return out;
        }
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    static String contextJson(JobContext context) {
        ObjectNode n = JSON.createObjectNode();
        context.kubeContext().ifPresent(v -> n.put("kubeContext", v));
        context.namespace().ifPresent(v -> n.put("namespace", v));
        n.put("deployment", context.deployment());
        context.parallelism().ifPresent(p -> n.put("parallelism", p));
        return n.toString();
    }

    static JobContext context(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return new JobContext(Optional.ofNullable(n.get("kubeContext")).map(JsonNode::asText),
                    Optional.ofNullable(n.get("namespace")).map(JsonNode::asText),
                    n.path("deployment").asText(JobContext.DEFAULT_DEPLOYMENT),
                    Optional.ofNullable(n.get("parallelism")).map(JsonNode::asInt));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
