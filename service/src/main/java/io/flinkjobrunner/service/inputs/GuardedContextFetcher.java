package io.flinkjobrunner.service.inputs;

import io.flinkjobrunner.ngsild.ContextFetchException;
import io.flinkjobrunner.ngsild.ContextFetcher;
import io.flinkjobrunner.ngsild.FetchedContext;
import io.flinkjobrunner.service.config.RunnerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Fetches remote JSON-LD contexts for the service ({@link ContextFetcher}) through an {@link InputDownloader} with
 * the settings of {@code runner.download.*} (the SSRF guard, the allow-listed hosts, redirects checked hop by hop),
 * capped for contexts ({@code runner.ngsild.remote.max-bytes}, {@code runner.ngsild.remote.timeout}). Documents are
 * cached by URL for {@code runner.ngsild.remote.max-age} (at most {@value #CACHED} URLs, least recently used out), so
 * a model with many entities, or many posts naming the same context, fetch it once.
 */
@ApplicationScoped
public class GuardedContextFetcher implements ContextFetcher {

    private static final Logger LOG = Logger.getLogger(GuardedContextFetcher.class);
    static final int CACHED = 256;

    private final InputDownloader downloader;
    private final Path scratch;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<String, FetchedContext> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FetchedContext> eldest) {
            return size() > CACHED;
        }
    };

    @Inject
    GuardedContextFetcher(RunnerConfig config) {
        this(downloader(config), config.workDir().resolve("contexts"), config.ngsild().remote().maxAge(),
                Clock.systemUTC());
    }

    /** A fetcher over {@code downloader}, writing transfers under {@code scratch}. */
    GuardedContextFetcher(InputDownloader downloader, Path scratch, Duration maxAge, Clock clock) {
        this.downloader = downloader;
        this.scratch = scratch;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    private static InputDownloader downloader(RunnerConfig config) {
        RunnerConfig.Download d = config.download();
        RunnerConfig.Ngsild.RemoteContexts remote = config.ngsild().remote();
        Duration total = remote.timeout().compareTo(d.totalTimeout()) < 0 ? remote.timeout() : d.totalTimeout();
        return new InputDownloader(new DownloadConfig(Math.min(d.maxBytes(), remote.maxBytes()), d.connectTimeout(),
                d.readTimeout().compareTo(total) < 0 ? d.readTimeout() : total, total, d.maxRedirects(),
                HostAllowList.parse(d.allowHosts().orElse(List.of())), null));
    }

    @Override
    public FetchedContext fetch(String url) throws ContextFetchException {
        synchronized (cache) {
            FetchedContext cached = cache.get(url);
            if (cached != null && cached.fetchedAt().plus(maxAge).isAfter(clock.instant())) {
                return cached;
            }
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ContextFetchException("not a URL (" + e.getReason() + ")", e);
        }
        FetchedContext fetched;
        try {
            Files.createDirectories(scratch);
            Path file = Files.createTempFile(scratch, "context-", ".jsonld");
            try {
                DownloadedInput input = downloader.download(uri, file, Cancellation.NONE);
                fetched = new FetchedContext(Files.readAllBytes(file), clock.instant());
                LOG.infof("fetched @context %s: %d bytes, sha256 %s", input.redactedUrl(), input.bytes(),
                        input.sha256());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (InputDownloadException e) {
            throw new ContextFetchException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the scratch directory " + scratch, e);
        }
        synchronized (cache) {
            cache.put(url, fetched);
        }
        return fetched;
    }

    @PreDestroy
    void close() {
        downloader.close();
    }
}
