package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.config.RunnerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Per-job scratch directories {@code <work-dir>/jobs/<jobId>/attempt-<n>}; nothing is shared between jobs, nor between
 * attempts (a run that lost its job may still be cleaning up when this replica starts the next attempt).
 */
@ApplicationScoped
public class Workspaces {

    private static final Logger LOG = Logger.getLogger(Workspaces.class);

    @Inject
    RunnerConfig config;

    /** Root of all workspaces. */
    public Path root() {
        return config.workDir().resolve("jobs").toAbsolutePath().normalize();
    }

    /** Creates a fresh, empty workspace for one attempt (a leftover of an interrupted run is removed first). */
    public Path create(String jobId, int attempt) {
        Path dir = resolve(jobId).resolve("attempt-" + attempt);
        remove(dir, jobId);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create workspace of job " + jobId, e);
        }
    }

    /** Removes the workspace of one attempt, and the job's directory once it is empty. */
    public void delete(String jobId, int attempt) {
        Path job = resolve(jobId);
        remove(job.resolve("attempt-" + attempt), jobId);
        try {
            Files.deleteIfExists(job);
        } catch (IOException e) {
            // another attempt's workspace is still there
        }
    }

    /** Removes every workspace of a job if any exists. */
    public void delete(String jobId) {
        remove(resolve(jobId), jobId);
    }

    private static void remove(Path dir, String jobId) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warnf("cannot delete %s: %s", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warnf("cannot delete workspace of job %s: %s", jobId, e.getMessage());
        }
    }

    private Path resolve(String jobId) {
        if (!JobRequestParser.JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("invalid job id");
        }
        Path dir = root().resolve(jobId).normalize();
        if (!dir.getParent().equals(root())) {
            throw new IllegalArgumentException("invalid job id");
        }
        return dir;
    }
}
