package io.flinkjobrunner.service.inputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.ngsild.ContextFetchException;
import io.flinkjobrunner.ngsild.FetchedContext;
import io.flinkjobrunner.service.testing.InputServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's context fetcher: the input downloader's guards, the size cap, the cache by URL and its age. */
class GuardedContextFetcherTest {

    private static final String CONTEXT = "{\"@context\": {\"iff\": \"https://industry-fusion.com/types/v0.9/\"}}";

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static GuardedContextFetcher fetcher(Path scratch, HostAllowList allow, long maxBytes, Clock clock) {
        DownloadConfig config = new DownloadConfig(maxBytes, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(10), 2, allow, null);
        return new GuardedContextFetcher(new InputDownloader(config), scratch, Duration.ofMinutes(10), clock);
    }

    @Test
    void fetchesOnceAndAgainWhenTheCopyIsTooOld(@TempDir Path scratch) throws Exception {
        MovableClock clock = new MovableClock();
        try (InputServer server = new InputServer()) {
            server.put("/ctx.jsonld", CONTEXT);
            GuardedContextFetcher fetcher = fetcher(scratch, HostAllowList.parse(List.of("127.0.0.1")), 1024, clock);
            try {
                FetchedContext first = fetcher.fetch(server.url("/ctx.jsonld"));
                assertArrayEquals(CONTEXT.getBytes(StandardCharsets.UTF_8), first.content());
                assertEquals(clock.instant(), first.fetchedAt());
                clock.now.set(clock.instant().plus(Duration.ofMinutes(9)));
                assertEquals(first, fetcher.fetch(server.url("/ctx.jsonld")), "cached by URL");
                assertEquals(1, server.requests("/ctx.jsonld"));
                clock.now.set(clock.instant().plus(Duration.ofMinutes(2)));
                assertEquals(clock.instant(), fetcher.fetch(server.url("/ctx.jsonld")).fetchedAt());
                assertEquals(2, server.requests("/ctx.jsonld"), "fetched again after max-age");
                try (var files = Files.list(scratch)) {
                    assertEquals(0, files.count(), "no transfer file is left behind");
                }
            } finally {
                fetcher.close();
            }
        }
    }

    @Test
    void appliesTheDownloadersGuardsAndTheContextSizeCap(@TempDir Path scratch) throws Exception {
        try (InputServer server = new InputServer()) {
            server.put("/ctx.jsonld", CONTEXT);
            GuardedContextFetcher guarded = fetcher(scratch, HostAllowList.NONE, 1024, Clock.systemUTC());
            try {
                ContextFetchException loopback = assertThrows(ContextFetchException.class,
                        () -> guarded.fetch(server.url("/ctx.jsonld")));
                assertTrue(loopback.getMessage().contains("loopback"), loopback.getMessage());
                assertEquals(0, server.requests("/ctx.jsonld"), "refused before connecting");
            } finally {
                guarded.close();
            }
            GuardedContextFetcher allowed = fetcher(scratch, HostAllowList.parse(List.of("127.0.0.1")), 16,
                    Clock.systemUTC());
            try {
                ContextFetchException large = assertThrows(ContextFetchException.class,
                        () -> allowed.fetch(server.url("/ctx.jsonld")));
                assertTrue(large.getMessage().contains("16"), large.getMessage());
                ContextFetchException redirected = assertThrows(ContextFetchException.class,
                        () -> allowed.fetch(server.url("/redirect-private/x")));
                assertTrue(redirected.getMessage().contains("10.255.255.1"), redirected.getMessage());
                ContextFetchException scheme = assertThrows(ContextFetchException.class,
                        () -> allowed.fetch("file:///etc/passwd"));
                assertTrue(scheme.getMessage().contains("file:///etc/passwd"), scheme.getMessage());
            } finally {
                allowed.close();
            }
        }
    }
}
