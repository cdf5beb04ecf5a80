package io.flinkjobrunner.service.inputs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A downloaded input in the job workspace.
 *
 * @param name        the target file's name, e.g. {@code knowledge.ttl}
 * @param file        where it was written
 * @param bytes       its size
 * @param sha256      lower-case hex SHA-256 of the bytes written
 * @param redactedUrl the requested URL without query string and user-info, safe to show and store
 */
public record DownloadedInput(String name, Path file, long bytes, String sha256, String redactedUrl) {

    public DownloadedInput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(redactedUrl, "redactedUrl");
    }
}
