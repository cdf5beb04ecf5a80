package io.flinkjobrunner.service.targets;

import java.io.IOException;
import java.nio.file.Path;

/** Stores files a job produced (reports, SQL, manifests); any replica serves them at {@code /jobs/{id}/artifacts}. */
public interface ArtifactSink {

    /** Stores or replaces an artifact. The name must be a plain file name ({@code [A-Za-z0-9._-]+}). */
    void put(String name, String mediaType, byte[] content);

    /**
     * Stores or replaces an artifact with the content of {@code file}, streamed (large artifacts, e.g. the semantic
     * data of a big knowledge graph, are never held in memory whole). The file is not deleted.
     */
    void put(String name, String mediaType, Path file) throws IOException;
}
