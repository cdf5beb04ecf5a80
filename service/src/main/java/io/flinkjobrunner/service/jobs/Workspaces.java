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

/** Per-job scratch directories {@code <work-dir>/jobs/<jobId>}; nothing is shared between jobs. */
@ApplicationScoped
public class Workspaces {

    private static final Logger LOG = Logger.getLogger(Workspaces.class);

    @Inject
    RunnerConfig config;

    /** Root of all workspaces. */
    public Path root() {
        return config.workDir().resolve("jobs").toAbsolutePath().normalize();
    }

    /** Creates a fresh, empty workspace (a leftover of an interrupted run is removed first). */
    public Path create(String jobId) {
        Path dir = resolve(jobId);
        delete(jobId);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create workspace of job " + jobId, e);
        }
    }

    /** Removes a job's workspace if it exists. */
    public void delete(String jobId) {
        Path dir = resolve(jobId);
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
