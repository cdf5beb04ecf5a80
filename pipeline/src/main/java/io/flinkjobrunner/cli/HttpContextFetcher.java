package io.flinkjobrunner.cli;

import io.flinkjobrunner.ngsild.ContextFetchException;
import io.flinkjobrunner.ngsild.ContextFetcher;
import io.flinkjobrunner.ngsild.FetchedContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How {@code fjr simulate} fetches a remote {@code @context} that no {@code --context-map} maps: plain HTTP(S) as the
 * user running the command, with the guards that keep a model from hanging or flooding the run. Only absolute
 * {@code http}/{@code https} URLs; redirects followed by hand (at most {@value #MAX_REDIRECTS}, each checked the same
 * way, never from https to http); {@value #CONNECT_SECONDS} s to connect, {@value #TOTAL_SECONDS} s for the whole
 * fetch; at most {@value #MAX_BYTES} bytes; no proxy, no cookies. There is no address policy: the command fetches what
 * the user's own model names, from the user's machine, like {@code curl} (the service, which fetches for others,
 * applies its SSRF guard instead). Each URL is fetched once per run.
 */
final class HttpContextFetcher implements ContextFetcher {

    static final int MAX_REDIRECTS = 5;
    static final long MAX_BYTES = 1024 * 1024;
    static final int CONNECT_SECONDS = 10;
    static final int TOTAL_SECONDS = 30;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(CONNECT_SECONDS)).proxy(HttpClient.Builder.NO_PROXY).build();
    private final Map<String, FetchedContext> fetched = new ConcurrentHashMap<>();

    @Override
    public FetchedContext fetch(String url) throws ContextFetchException {
        FetchedContext known = fetched.get(url);
        if (known != null) {
            return known;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(TOTAL_SECONDS).toNanos();
        URI current = checked(url, null);
        for (int hop = 0;; hop++) {
            HttpResponse<InputStream> response = send(current, deadline);
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                close(response);
                if (hop >= MAX_REDIRECTS) {
                    throw new ContextFetchException("more than " + MAX_REDIRECTS + " redirects");
                }
                String location = response.headers().firstValue("Location").orElseThrow(
                        () -> new ContextFetchException("redirect " + status + " without Location"));
                current = checked(current.resolve(location).toString(), current);
                continue;
            }
            if (status != 200) {
                close(response);
                throw new ContextFetchException("HTTP " + status + " from " + current);
            }
            FetchedContext context = new FetchedContext(body(response, deadline), Instant.now());
            fetched.put(url, context);
            return context;
        }
    }

    private static URI checked(String url, URI redirectedFrom) throws ContextFetchException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ContextFetchException("not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new ContextFetchException("only absolute http and https URLs are fetched, not " + url);
        }
        if (redirectedFrom != null && "https".equalsIgnoreCase(redirectedFrom.getScheme()) && scheme.equals("http")) {
            throw new ContextFetchException("refused the redirect from " + redirectedFrom + " to plain http " + url);
        }
        return uri;
    }

    private HttpResponse<InputStream> send(URI uri, long deadline) throws ContextFetchException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new ContextFetchException("took longer than " + TOTAL_SECONDS + " s");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left))
                .header("Accept", "application/ld+json, application/json").GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ContextFetchException("cannot reach " + uri.getHost() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContextFetchException("interrupted", e);
        }
    }

    /** The body, within the size cap and the fetch's deadline (a server dripping bytes cannot hold the run). */
    private static byte[] body(HttpResponse<InputStream> response, long deadline) throws ContextFetchException {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > MAX_BYTES) {
            close(response);
            throw new ContextFetchException(declared + " bytes, more than the " + MAX_BYTES + " allowed");
        }
        CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = response.body()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    if (out.size() > MAX_BYTES) {
                        return null;
                    }
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            byte[] body = reading.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (body == null) {
                throw new ContextFetchException("more than the " + MAX_BYTES + " bytes allowed");
            }
            return body;
        } catch (TimeoutException e) {
            close(response);
            throw new ContextFetchException("took longer than " + TOTAL_SECONDS + " s", e);
        } catch (ExecutionException e) {
            throw new ContextFetchException("reading the body failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(response);
            throw new ContextFetchException("interrupted", e);
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // the response is abandoned either way
        }
    }
}
