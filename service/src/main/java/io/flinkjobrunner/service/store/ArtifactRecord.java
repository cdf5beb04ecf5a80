package io.flinkjobrunner.service.store;

import java.time.Instant;

/** Metadata of an artifact a job produced. */
public record ArtifactRecord(String name, String mediaType, long bytes, String sha256, Instant createdAt) {
}
