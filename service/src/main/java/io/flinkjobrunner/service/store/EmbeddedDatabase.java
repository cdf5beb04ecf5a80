package io.flinkjobrunner.service.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The zero-configuration database: a real PostgreSQL (zonky binaries) whose data lives in {@code <work-dir>/pgdata},
 * so jobs survive restarts. A postmaster orphaned by a kill -9 of the previous process is stopped first.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    /** The one this process started for its job store, if any (stopped last at shutdown). */
    private static volatile EmbeddedDatabase processDatabase;

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** Starts the job store's database in {@code dataDirectory}, as this process's one: {@link #stopProcessDatabase}. */
    public static EmbeddedDatabase startForProcess(Path dataDirectory) {
        EmbeddedDatabase db = start(dataDirectory);
        processDatabase = db;
        return db;
    }

    /** Stops the database {@link #startForProcess} started, if any (idempotent). */
    public static void stopProcessDatabase() {
        EmbeddedDatabase db = processDatabase;
        processDatabase = null;
        if (db != null) {
            db.close();
        }
    }

    /** Starts (initialising on first use) the database in {@code dataDirectory}. */
    public static EmbeddedDatabase start(Path dataDirectory) {
        try {
            Path dir = dataDirectory.toAbsolutePath().normalize();
            Files.createDirectories(dir);
            stopOrphanedPostmaster(dir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(freePort())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .start();
            return new EmbeddedDatabase(pg, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /** JDBC URL of the {@code postgres} database (user {@code postgres}, trust authentication on loopback). */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Port the server listens on (loopback). */
    public int port() {
        return postgres.getPort();
    }

    /** Data directory of the server. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("stopping the embedded PostgreSQL failed: %s", e.getMessage());
        }
    }

    /**
     * After a kill -9 of the JVM the postmaster (started by pg_ctl, so not our child) keeps running and holds the data
     * directory. Stop it with a fast shutdown (SIGINT), forcefully if it does not exit.
     */
    static void stopOrphanedPostmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || !isPostgres(handle.get())) {
            return;
        }
        LOG.warnf("stopping PostgreSQL (pid %d) left running by a previous process on %s", pid, dir);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            long deadline = System.currentTimeMillis() + 30_000;
            while (handle.get().isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            if (handle.get().isAlive()) {
                handle.get().destroyForcibly();
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isPostgres(ProcessHandle h) {
        return h.info().command().map(c -> c.contains("postgres")).orElse(true);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
