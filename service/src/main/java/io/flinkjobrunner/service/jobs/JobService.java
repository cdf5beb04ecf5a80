package io.flinkjobrunner.service.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.service.config.NodeIdentity;
import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.logs.LogHub;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.secrets.SecretBox;
import io.flinkjobrunner.service.secrets.UrlRedaction;
import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.store.EventStore;
import io.flinkjobrunner.service.store.JobRecord;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.store.StoreException;
import io.flinkjobrunner.service.store.StoredEvent;
import io.flinkjobrunner.service.store.Transaction;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.Target;
import io.flinkjobrunner.service.targets.TargetRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Use cases of the job API: submit, cancel, delete. Each owns its transaction. */
@ApplicationScoped
public class JobService {

    private static final Logger LOG = Logger.getLogger(JobService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    JobRepository jobs;
    @Inject
    TargetRegistry targets;
    @Inject
    SecretBox secrets;
    @Inject
    LogHub hub;
    @Inject
    NodeIdentity node;
    @Inject
    RunnerConfig config;
    @Inject
    JobExecutor executor;
    @Inject
    Workspaces workspaces;

    /** Result of a submission: the job's id and status, and whether it existed already (idempotent replay). */
    public record Submission(String jobId, JobStatus status, boolean existed) {
    }

    /** What a submission's transaction came to: the job that existed already, or the events of the new one. */
    private record Stored(Optional<Submission> existing, List<StoredEvent> events) {
    }

    /** What a cancellation's transaction came to: the job's status before, and the events it wrote. */
    private record Cancellation(JobStatus before, List<StoredEvent> events) {
    }

    /** Accepts a job (QUEUED), or returns the existing job with the same id and the same request. */
    public Submission submit(JobRequest request) {
        Target target = targets.find(request.target()).orElseThrow(() -> unknownTarget(request.target()));
        String id = request.jobId().orElseGet(() -> UUID.randomUUID().toString());
        String mac = secrets.mac(canonical(request));
        Map<String, String> redacted = new TreeMap<>();
        request.urls().forEach((k, v) -> redacted.put(k, UrlRedaction.redact(v)));
        byte[] sealed = secrets.seal(sealedJson(request.urls()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<String> stepNames = target.steps().stream().map(Step::name).toList();
        String lock = target.changesDeployment() ? request.context().deployment() : null;
        Stored stored;
        try {
            stored = Transaction.run(jobs::connection, c -> {
                boolean inserted;
                try {
                    inserted = jobs.insert(c, id, target.name(), mac, request.context(), lock, sealed, redacted,
                            stepNames, now);
                } catch (SQLException e) {
                    if (lock == null || !isDeploymentLockViolation(e)) {
                        throw e;
                    }
                    c.rollback();
                    throw deploymentBusy(c, lock);
                }
                if (!inserted) {
                    c.rollback();
                    JobRecord existing = jobs.find(c, id, false).orElseThrow(
                            () -> new ApiProblemException(Reason.JOB_ID_CONFLICT, "job " + id + " is being replaced"));
                    if (!existing.requestMac().equals(mac)) {
                        throw new ApiProblemException(Reason.JOB_ID_CONFLICT, "job " + id
                                + " already exists with a different request; choose another jobId or omit it");
                    }
                    return new Stored(Optional.of(new Submission(existing.id(), existing.status(), true)), List.of());
                }
                List<StoredEvent> events = EventStore.append(c, id,
                        List.of(StatusEvents.job(id, JobStatus.QUEUED, now, null)), config.logs().maxBytes(),
                        node.owner()).orElseThrow();
                try (PreparedStatement n = c.prepareStatement("SELECT pg_notify('" + JobExecutor.JOBS_CHANNEL
                        + "', ?)")) {
                    n.setString(1, id);
                    n.execute();
                }
                return new Stored(Optional.empty(), events);
            });
        } catch (SQLException e) {
            throw new StoreException("cannot store the job", e);
        }
        if (stored.existing().isPresent()) {
            return stored.existing().get();
        }
        hub.publish(id, stored.events());
        executor.wakeUp();
        LOG.infof("job %s accepted (target %s)", id, target.name());
        return new Submission(id, JobStatus.QUEUED, false);
    }

    /**
     * Cancels a job: a QUEUED job becomes CANCELLED at once; a RUNNING job is flagged and its owner (any replica,
     * reached through NOTIFY) stops it at the next cancellation check; a RUNNING job whose replica is gone is ended
     * CANCELLED by the takeover. Waits briefly for the terminal state.
     */
    public JobRecord cancel(String id) {
        Cancellation cancellation;
        try {
            cancellation = Transaction.run(jobs::connection, c -> {
                JobRecord job = jobs.find(c, id, true).orElseThrow(() -> notFound(id));
                if (job.status().isTerminal()) {
                    throw new ApiProblemException(Reason.JOB_ALREADY_TERMINAL,
                            "job " + id + " already ended with status " + job.status());
                }
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                if (job.status() == JobStatus.QUEUED) {
                    JobTransitions.finishQueued(c, id, JobStatus.CANCELLED, now, null);
                    return new Cancellation(job.status(), EventStore.append(c, id,
                            List.of(StatusEvents.job(id, JobStatus.CANCELLED, now, null)), config.logs().maxBytes(),
                            node.owner()).orElseThrow());
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE jobs SET cancel_requested = TRUE, updated_at = ? WHERE id = ?")) {
                    ps.setTimestamp(1, java.sql.Timestamp.from(now));
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
                try (PreparedStatement n = c.prepareStatement("SELECT pg_notify('" + JobExecutor.CANCEL_CHANNEL
                        + "', ?)")) {
                    n.setString(1, id);
                    n.execute();
                }
                return new Cancellation(job.status(), List.of());
            });
        } catch (SQLException e) {
            throw new StoreException("cannot cancel the job", e);
        }
        hub.publish(id, cancellation.events());
        if (cancellation.before() == JobStatus.RUNNING) {
            executor.cancelLocally(id);
            if (!executor.runsHere(id)) {
                // its replica may be gone: then the cancel completes now, not when a heartbeat notices
                executor.reapOrphans();
            }
            return awaitTerminal(id, 10_000);
        }
        return jobs.find(id).orElseThrow(() -> notFound(id));
    }

    /** Deletes a terminal job: record, steps, inputs, log, artifacts and workspace. */
    public void delete(String id) {
        try {
            Transaction.run(jobs::connection, c -> {
                JobRecord job = jobs.find(c, id, true).orElseThrow(() -> notFound(id));
                if (!job.status().isTerminal()) {
                    throw new ApiProblemException(Reason.JOB_NOT_TERMINAL, "job " + id + " is " + job.status()
                            + "; cancel it first, only terminal jobs can be deleted");
                }
                jobs.deleteTerminal(c, id);
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("cannot delete the job", e);
        }
        workspaces.delete(id);
        hub.jobDeleted(id);
        LOG.infof("job %s deleted", id);
    }

    /** A job or 404. */
    public JobRecord get(String id) {
        return jobs.find(id).orElseThrow(() -> notFound(id));
    }

    private JobRecord awaitTerminal(String id, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            JobRecord job = jobs.find(id).orElseThrow(() -> notFound(id));
            if (job.status().isTerminal() || System.currentTimeMillis() > deadline) {
                return job;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return job;
            }
        }
    }

    /** Unique violation of the index that lets one job at a time hold a deployment. */
    private static boolean isDeploymentLockViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) && e.getMessage() != null
                && e.getMessage().contains(JobRepository.DEPLOYMENT_LOCK_INDEX);
    }

    /** The 409 naming the job that holds the deployment (it may have ended meanwhile: then say so). */
    private ApiProblemException deploymentBusy(Connection c, String deployment) throws SQLException {
        Optional<Map.Entry<String, JobStatus>> holder = jobs.deploymentHolder(c, deployment);
        c.rollback();
        String detail = holder.map(h -> "deployment '" + deployment + "' is being changed by job " + h.getKey()
                        + " (" + h.getValue() + "); submit again once it has ended, or cancel it")
                .orElse("deployment '" + deployment + "' was being changed by another job that has just ended; "
                        + "submit again");
        Map<String, Object> extensions = new java.util.LinkedHashMap<>();
        extensions.put("deployment", deployment);
        holder.ifPresent(h -> {
            extensions.put("activeJobId", h.getKey());
            extensions.put("activeJobStatus", h.getValue().name());
        });
        return new ApiProblemException(Reason.DEPLOYMENT_BUSY, detail, extensions);
    }

    /** The 404 for a job id. */
    public static ApiProblemException notFound(String id) {
        return new ApiProblemException(Reason.JOB_NOT_FOUND, "no job with id '" + id + "'");
    }

    private ApiProblemException unknownTarget(String name) {
        List<String> available = targets.names();
        String detail = "unknown target '" + name + "'; available targets: " + String.join(", ", available);
        return new ApiProblemException(Reason.UNKNOWN_TARGET, detail, Map.of("availableTargets", available));
    }

    /** Canonical form of a request for the idempotency HMAC: sorted keys, defaults applied. */
    static String canonical(JobRequest r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("target", r.target());
        ObjectNode urls = n.putObject("urls");
        new TreeMap<>(r.urls()).forEach(urls::put);
        ObjectNode ctx = n.putObject("context");
        ctx.put("deployment", r.context().deployment());
        ctx.put("kubeContext", r.context().kubeContext().orElse(null));
        ctx.put("namespace", r.context().namespace().orElse(null));
        r.context().parallelism().ifPresent(p -> ctx.put("parallelism", p));
        return n.toString();
    }

    private static String sealedJson(Map<String, String> urls) {
        ObjectNode n = JSON.createObjectNode();
        new TreeMap<>(urls).forEach(n::put);
        return n.toString();
    }

    static Optional<Map<String, String>> openUrls(SecretBox secrets, byte[] sealed) {
        if (sealed == null) {
            return Optional.empty();
        }
        try {
            Map<String, String> out = new TreeMap<>();
            JSON.readTree(secrets.open(sealed)).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return Optional.of(out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored input URLs are corrupt", e);
        }
    }
}
