package io.flinkjobrunner.service;

import io.flinkjobrunner.service.store.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/**
 * Entry point of {@code java -jar quarkus-run.jar}. Without a configured {@code quarkus.datasource.jdbc.url} it
 * starts the embedded PostgreSQL under {@code runner.work-dir} first and points the datasource at it.
 */
@QuarkusMain
public final class RunnerMain {

    RunnerMain() {
    }

    public static void main(String... args) {
        if (setting("quarkus.datasource.jdbc.url") == null) {
            Path workDir = Path.of(orDefault(setting("runner.work-dir"), "work"));
            long t0 = System.currentTimeMillis();
            EmbeddedDatabase embedded = EmbeddedDatabase.startForProcess(workDir.resolve("pgdata"));
            System.setProperty("quarkus.datasource.jdbc.url", embedded.jdbcUrl());
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "postgres");
            Logger.getLogger(RunnerMain.class).infof("embedded PostgreSQL started in %d ms on port %d, data in %s",
                    System.currentTimeMillis() - t0, embedded.port(), embedded.dataDirectory());
        }
        Quarkus.run(null, (code, failure) -> {
            if (failure != null) {
                // a refused start (e.g. another replica's secret key) must say why, even if logging is gone already
                System.err.println("flink-job-runner failed to start: " + rootMessage(failure));
                failure.printStackTrace();
                System.err.flush();
            }
            EmbeddedDatabase.stopProcessDatabase();
            System.exit(code);
        }, args);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static String setting(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(name.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        return v == null || v.isBlank() ? null : v;
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }
}
