package io.flinkjobrunner.ngsild;

/**
 * Fetches a remote JSON-LD {@code @context} document that no mapping covers. The pipeline only defines the port;
 * whoever maps models supplies the implementation and decides how it is guarded (the service: its SSRF-guarded
 * downloader; {@code fjr simulate}: a capped HTTP client). Without a fetcher, unmapped contexts are refused.
 */
@FunctionalInterface
public interface ContextFetcher {

    /**
     * The document at {@code url}.
     *
     * @throws ContextFetchException why it could not be fetched (refused by a guard, unreachable, too large, ...)
     */
    FetchedContext fetch(String url) throws ContextFetchException;
}
