package io.flinkjobrunner.service.deploy.local;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The service on its embedded default (deploy goes to the local engine) with the application's own build (download
 * from a loopback server, parse, shapes check, compile, Flink's planner check) and a fresh engine data directory.
 * Offline ({@code runner.ngsild.offline}): a remote context that is not mapped is refused, nothing is fetched (the
 * tests run without internet).
 */
public class LocalEndToEndProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            return Map.of(
                    "runner.local.data-dir", Files.createTempDirectory("fjr-local-engine").toString(),
                    "runner.deploy.deadline", "5m",
                    "runner.download.allow-hosts", "127.0.0.1",
                    "runner.ngsild.offline", "true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
