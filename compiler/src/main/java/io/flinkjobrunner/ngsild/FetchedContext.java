package io.flinkjobrunner.ngsild;

import java.time.Instant;
import java.util.Objects;

/**
 * A remote context document as a {@link ContextFetcher} returned it.
 *
 * @param content the document's bytes (UTF-8 JSON)
 * @param fetchedAt when it was fetched from the network (earlier than now when it came from a cache)
 */
public record FetchedContext(byte[] content, Instant fetchedAt) {

    public FetchedContext {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
    }
}
