package io.flinkjobrunner.service.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real PostgreSQL (zonky) for {@code @QuarkusTest}s, one per test JVM and shared by all test profiles, so a profile
 * switch restarts the application on the same database. Also gives the tests a fresh work directory.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;
    private static Path workDir;

    @Override
    public synchronized Map<String, String> start() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
                workDir = Files.createTempDirectory("fjr-test-work");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // JVM exit
                    }
                }));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres",
                "runner.work-dir", workDir.toString(),
                // the tests' input server runs on loopback, which the SSRF guard refuses unless allow-listed
                "runner.download.allow-hosts", "127.0.0.1");
    }

    @Override
    public void stop() {
        // shared across profiles; closed at JVM exit
    }

    /** The work directory the application under test uses. */
    public static Path workDir() {
        return workDir;
    }
}
