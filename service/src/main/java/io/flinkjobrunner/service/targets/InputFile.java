package io.flinkjobrunner.service.targets;

import java.nio.file.Path;

/** A downloaded input in the job's workspace. {@code redactedUrl} is safe to show. */
public record InputFile(String name, Path file, long bytes, String sha256, String redactedUrl) {
}
