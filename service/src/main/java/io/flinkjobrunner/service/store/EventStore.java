package io.flinkjobrunner.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.nio.charset.StandardCharsets;

/**
 * SQL for the per-job event sequence. Appending locks the job row, so sequence numbers are gap-free and unique even
 * when several replicas write events of the same job; the NOTIFY is delivered at commit, after the rows are durable.
 */
public final class EventStore {

    /** Channel that announces new events to other replicas: payload {@code <owner> <jobId> <lastSeq>}. */
    public static final String EVENTS_CHANNEL = "fjr_events";

    /** Bytes a rendered line adds to its body besides the step name: timestamp, brackets, spaces, newline. */
    private static final int RENDERED_OVERHEAD = 34;

    private EventStore() {
    }

    /**
     * Appends events to a job inside the caller's transaction.
     *
     * @param maxLogBytes per-job cap of stored log text; the line crossing it is replaced by a truncation marker
     * @return the stored events (log lines dropped by the cap are absent); empty if the job no longer exists
     */
    public static Optional<List<StoredEvent>> append(Connection c, String jobId, List<NewEvent> events,
                                                     long maxLogBytes, String notifier) throws SQLException {
        return append(c, jobId, events, maxLogBytes, notifier, null);
    }

    /**
     * Appends events written by one attempt's run ({@code attempt}, recorded with each event; null for events of the
     * service itself), as {@link #append(Connection, String, List, long, String)}.
     */
    public static Optional<List<StoredEvent>> append(Connection c, String jobId, List<NewEvent> events,
                                                     long maxLogBytes, String notifier, Integer attempt)
            throws SQLException {
        long seq;
        long logBytes;
        boolean truncated;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_seq, log_bytes, log_truncated FROM jobs WHERE id = ? FOR UPDATE")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                seq = rs.getLong(1);
                logBytes = rs.getLong(2);
                truncated = rs.getBoolean(3);
            }
        }
        List<StoredEvent> stored = new ArrayList<>(events.size());
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO job_events (job_id, seq, kind, at, step, body, attempt) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (NewEvent e : events) {
                String body = e.body();
                if (e.kind() == StoredEvent.Kind.LOG) {
                    if (truncated) {
                        continue;
                    }
                    // counted as rendered: "<timestamp> [<step>] <body>\n"
                    long size = body.getBytes(StandardCharsets.UTF_8).length + RENDERED_OVERHEAD
                            + (e.step() == null ? 3 : e.step().length());
                    if (logBytes + size > maxLogBytes) {
                        truncated = true;
                        body = "[log truncated: the limit of " + maxLogBytes + " bytes per job was reached; "
                                + "later lines are dropped]";
                    } else {
                        logBytes += size;
                    }
                }
                seq++;
                StoredEvent s = new StoredEvent(jobId, seq, e.kind(), e.at(), e.step(), body);
                ins.setString(1, jobId);
                ins.setLong(2, seq);
                ins.setString(3, e.kind().wire());
                ins.setTimestamp(4, Timestamp.from(e.at()));
                ins.setString(5, e.step());
                ins.setString(6, body);
                if (attempt == null) {
                    ins.setNull(7, java.sql.Types.INTEGER);
                } else {
                    ins.setInt(7, attempt);
                }
                ins.addBatch();
                stored.add(s);
            }
            if (!stored.isEmpty()) {
                ins.executeBatch();
            }
        }
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE jobs SET last_seq = ?, log_bytes = ?, log_truncated = ? WHERE id = ?")) {
            up.setLong(1, seq);
            up.setLong(2, logBytes);
            up.setBoolean(3, truncated);
            up.setString(4, jobId);
            up.executeUpdate();
        }
        if (!stored.isEmpty()) {
            try (PreparedStatement n = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                n.setString(1, EVENTS_CHANNEL);
                n.setString(2, notifier + " " + jobId + " " + seq);
                n.execute();
            }
        }
        return Optional.of(stored);
    }

    /** Who runs a job now: its status, owner and attempt. */
    public record RunState(String status, String owner, int attempt) {
    }

    /**
     * Locks the job row for the caller's transaction (the lock {@link #append} takes too, so appends of one job are
     * serialised with every change of its owner) and returns who runs the job; empty if it no longer exists.
     */
    public static Optional<RunState> lockRun(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status, owner, attempt FROM jobs WHERE id = ? FOR UPDATE")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new RunState(rs.getString(1), rs.getString(2), rs.getInt(3)))
                        : Optional.empty();
            }
        }
    }

    /** Current status of a job, if it exists. */
    public static Optional<String> status(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Events of a job with {@code seq > after}, in order, at most {@code limit}. */
    public static List<StoredEvent> readAfter(Connection c, String jobId, long after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, kind, at, step, body FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            ps.setString(1, jobId);
            ps.setLong(2, after);
            ps.setInt(3, limit);
            List<StoredEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEvent(jobId, rs.getLong(1), StoredEvent.Kind.fromWire(rs.getString(2)),
                            rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)));
                }
            }
            return out;
        }
    }
}
