package io.flinkjobrunner.service.secrets;

import io.flinkjobrunner.service.config.RunnerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Provides the {@link SecretBox}: the key comes from {@code runner.secrets.key} (a Kubernetes Secret in a cluster, the
 * same on every replica) or, for the embedded run, from {@code <work-dir>/secret.key}, generated on first start.
 */
@ApplicationScoped
public class SecretKeySource {

    @Produces
    @Singleton
    SecretBox secretBox(RunnerConfig config) {
        byte[] key = config.secrets().key()
                .map(SecretKeySource::decodeConfigured)
                .orElseGet(() -> keyFile(config.workDir().resolve("secret.key")));
        return new SecretBox(key);
    }

    private static byte[] decodeConfigured(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("runner.secrets.key is not valid base64");
        }
    }

    static byte[] keyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                try {
                    Files.write(file, Base64.getEncoder().encode(key), StandardOpenOption.CREATE_NEW);
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        // not a POSIX file system; the directory permissions protect the key
                    }
                    return key;
                } catch (FileAlreadyExistsException e) {
                    // another process created it concurrently: use theirs
                }
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret key file " + file, e);
        }
    }
}
