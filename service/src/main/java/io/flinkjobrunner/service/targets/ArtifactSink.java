package io.flinkjobrunner.service.targets;

/** Stores files a job produced (reports, SQL, manifests); any replica serves them at {@code /jobs/{id}/artifacts}. */
public interface ArtifactSink {

    /** Stores or replaces an artifact. The name must be a plain file name ({@code [A-Za-z0-9._-]+}). */
    void put(String name, String mediaType, byte[] content);
}
