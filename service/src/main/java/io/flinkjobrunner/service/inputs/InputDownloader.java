package io.flinkjobrunner.service.inputs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHeaders;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.config.SocketConfig;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.DnsResolver;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.BasicHttpClientConnectionManager;
import org.apache.http.ssl.SSLContexts;

import io.flinkjobrunner.service.digest.Sha256;
import io.flinkjobrunner.service.inputs.InputDownloadException.Reason;
import io.flinkjobrunner.service.secrets.UrlRedaction;

/**
 * Fetches job inputs (knowledge, shapes, model) from caller-supplied http(s) URLs into the job workspace, defending
 * the service against them:
 * <ul>
 *   <li>only absolute {@code http}/{@code https} URLs; {@code file:}, {@code jar:}, {@code ftp:} ... are refused, and
 *       a redirect may not downgrade https to http;</li>
 *   <li>SSRF guard after DNS resolution ({@link AddressPolicy}, exemptions in {@link HostAllowList}): the resolver
 *       hands the HTTP client only the addresses it checked, so the address checked is the address connected to
 *       (no DNS-rebinding window); TLS still uses the host name for SNI and certificate verification;</li>
 *   <li>redirects followed by hand, each hop re-checked the same way, at most {@code maxRedirects};</li>
 *   <li>a size cap checked against {@code Content-Length} and while streaming; connect, read and total timeouts;</li>
 *   <li>a watchdog aborts the transfer when the total timeout passes, the {@link Cancellation} says so, or the
 *       calling thread is interrupted, so a slow download stops promptly;</li>
 *   <li>the body is streamed to a temporary file next to the target and moved into place only when complete, with
 *       its SHA-256;</li>
 *   <li>messages only ever contain redacted URLs ({@link UrlRedaction}): no query string, no user-info.</li>
 * </ul>
 * No proxy is used (a proxy would connect to addresses we never checked); no cookies, retries or decompression.
 */
public final class InputDownloader implements AutoCloseable {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final long WATCHDOG_PERIOD_MILLIS = 50;
    private static final int BUFFER = 64 * 1024;

    private final DownloadConfig config;
    private final HostResolver resolver;
    private final SSLContext sslContext;
    private final ScheduledExecutorService watchdog;

    /** A downloader using the system DNS resolver. */
    public InputDownloader(DownloadConfig config) {
        this(config, HostResolver.SYSTEM);
    }

    /** A downloader using {@code resolver} for every host name (tests simulate DNS with it). */
    public InputDownloader(DownloadConfig config, HostResolver resolver) {
        this.config = config;
        this.resolver = resolver;
        this.sslContext = config.sslContext() != null ? config.sslContext() : SSLContexts.createDefault();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "input-download-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Stops the watchdog thread; downloads in progress are no longer timed out or cancelled. */
    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /**
     * Downloads {@code url} to {@code target} (its directory must exist; an existing file is replaced).
     *
     * @throws InputDownloadException with the reason the download was refused or failed; no file is left behind
     */
    public DownloadedInput download(URI url, Path target, Cancellation cancellation) throws InputDownloadException {
        String redacted = UrlRedaction.redact(url.toString());
        URI current = checkedUrl(url, redacted, null);
        Transfer transfer = new Transfer(cancellation, Thread.currentThread(),
                System.nanoTime() + config.totalTimeout().toNanos());
        ScheduledFuture<?> tick = watchdog.scheduleAtFixedRate(transfer::watch, WATCHDOG_PERIOD_MILLIS,
                WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        try (CloseableHttpClient client = client(transfer)) {
            for (int hop = 0;; hop++) {
                String hopUrl = UrlRedaction.redact(current.toString());
                Optional<URI> next = fetch(client, current, hopUrl, target, transfer);
                if (next.isEmpty()) {
                    return transfer.result(target, redacted);
                }
                if (hop >= config.maxRedirects()) {
                    throw failure(Reason.TOO_MANY_REDIRECTS, hopUrl, "too many redirects: more than "
                            + config.maxRedirects() + " starting at " + redacted);
                }
                current = checkedUrl(next.get(), UrlRedaction.redact(next.get().toString()), current);
            }
        } catch (IOException e) {
            throw failure(Reason.CONNECTION_FAILED, redacted, "cannot download " + redacted + ": " + describe(e));
        } finally {
            tick.cancel(false);
            transfer.deleteTemporaryFile();
        }
    }

    /** Refuses anything but absolute http(s) URLs with a host, and https-to-http redirects. */
    private static URI checkedUrl(URI url, String redacted, URI redirectedFrom) throws InputDownloadException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw failure(Reason.SCHEME_REFUSED, redacted, (redirectedFrom == null ? "" : "redirect to ")
                    + redacted + " refused: only http and https URLs can be downloaded"
                    + (scheme.isEmpty() ? "" : ", not " + scheme + ":"));
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw failure(Reason.SCHEME_REFUSED, redacted, redacted + " refused: the URL has no host");
        }
        if (redirectedFrom != null && redirectedFrom.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw failure(Reason.SCHEME_REFUSED, redacted, "redirect from https to " + redacted
                    + " refused: it would downgrade to plain http");
        }
        return url;
    }

    private CloseableHttpClient client(Transfer transfer) {
        Registry<ConnectionSocketFactory> sockets = RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", new SSLConnectionSocketFactory(sslContext,
                        SSLConnectionSocketFactory.getDefaultHostnameVerifier()))
                .build();
        BasicHttpClientConnectionManager connections = new BasicHttpClientConnectionManager(sockets, null, null,
                new GuardedResolver(transfer));
        int readMillis = (int) config.readTimeout().toMillis();
        connections.setSocketConfig(SocketConfig.custom().setSoTimeout(readMillis).build());
        RequestConfig request = RequestConfig.custom()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setSocketTimeout(readMillis)
                .setConnectionRequestTimeout((int) config.connectTimeout().toMillis())
                .setRedirectsEnabled(false)
                .setContentCompressionEnabled(false)
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(request)
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAutomaticRetries()
                .setUserAgent("flink-job-runner")
                .build();
    }

    /** One request; returns the redirect target, or empty once the body is in the temporary file. */
    private Optional<URI> fetch(CloseableHttpClient client, URI url, String redacted, Path target, Transfer transfer)
            throws InputDownloadException {
        HttpGet get = new HttpGet(url);
        get.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
        transfer.begin(get, redacted);
        try (CloseableHttpResponse response = client.execute(get)) {
            int status = response.getStatusLine().getStatusCode();
            if (REDIRECTS.contains(status)) {
                Header location = response.getFirstHeader(HttpHeaders.LOCATION);
                if (location == null || location.getValue().isBlank()) {
                    throw failure(Reason.HTTP_STATUS, redacted, redacted + " answered " + status
                            + " without a Location header", status);
                }
                try {
                    return Optional.of(url.resolve(new URI(location.getValue().trim())));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw failure(Reason.SCHEME_REFUSED, redacted, redacted + " redirected to an invalid URL ("
                            + UrlRedaction.redact(location.getValue()) + ")");
                }
            }
            if (status != 200) {
                throw failure(Reason.HTTP_STATUS, redacted, redacted + " answered HTTP " + status
                        + reasonPhrase(response.getStatusLine().getReasonPhrase()), status);
            }
            Header encoding = response.getFirstHeader(HttpHeaders.CONTENT_ENCODING);
            if (encoding != null && !encoding.getValue().isBlank()
                    && !encoding.getValue().trim().equalsIgnoreCase("identity")) {
                throw failure(Reason.CONTENT_ENCODING, redacted, redacted + " sent a body with Content-Encoding '"
                        + encoding.getValue() + "' although identity was requested");
            }
            HttpEntity entity = response.getEntity();
            if (entity != null && entity.getContentLength() > config.maxBytes()) {
                throw failure(Reason.TOO_LARGE, redacted, redacted + " is " + entity.getContentLength()
                        + " bytes, more than the limit of " + config.maxBytes() + " bytes");
            }
            transfer.receive(entity, target, config.maxBytes(), redacted);
            return Optional.empty();
        } catch (IOException e) {
            throw transfer.explain(e, redacted);
        } finally {
            get.releaseConnection();
        }
    }

    private static String reasonPhrase(String phrase) {
        return phrase == null || phrase.isBlank() ? "" : " (" + phrase + ")";
    }

    static InputDownloadException failure(Reason reason, String redactedUrl, String message) {
        return failure(reason, redactedUrl, message, 0);
    }

    static InputDownloadException failure(Reason reason, String redactedUrl, String message, int status) {
        // Causes are not attached: library messages may quote a URL, and only redacted text may leave here.
        return new InputDownloadException(reason, redactedUrl, UrlRedaction.redactAll(message), status, null);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return UrlRedaction.redactAll(message == null || message.isBlank() ? "I/O error" : message);
    }

    /** The addresses a host name resolved to were refused; carries the explanation through the HTTP client. */
    private static final class AddressRefused extends UnknownHostException {
        AddressRefused(String message) {
            super(message);
        }
    }

    /** Resolves, checks and hands the HTTP client only checked addresses (DNS rebinding cannot slip in between). */
    private final class GuardedResolver implements DnsResolver {

        private final Transfer transfer;

        GuardedResolver(Transfer transfer) {
            this.transfer = transfer;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = resolver.resolve(host);
            if (addresses == null || addresses.length == 0) {
                throw new UnknownHostException(host + " has no address");
            }
            if (!config.allowList().allowsHost(host)) {
                for (InetAddress address : addresses) {
                    if (config.allowList().allowsAddress(address)) {
                        continue;
                    }
                    Optional<String> why = AddressPolicy.refusal(address);
                    if (why.isPresent()) {
                        transfer.refused = true;
                        throw new AddressRefused(host + " resolves to " + address.getHostAddress() + ", a "
                                + why.get() + " address; downloads from it are refused unless"
                                + " runner.download.allow-hosts lists the host or a range containing the address");
                    }
                }
            }
            return addresses.clone();
        }
    }

    /** State of one download across its hops, shared with the watchdog. */
    private final class Transfer {

        private final Cancellation cancellation;
        private final Thread caller;
        private final long deadline;
        private volatile HttpGet request;
        private volatile Reason abortedFor;
        private volatile boolean refused;
        private Path temporary;
        private long bytes;
        private String sha256;

        Transfer(Cancellation cancellation, Thread caller, long deadline) {
            this.cancellation = cancellation;
            this.caller = caller;
            this.deadline = deadline;
        }

        /** Called by the watchdog every few milliseconds. */
        void watch() {
            if (abortedFor != null) {
                return;
            }
            if (cancellation.isCancelled() || caller.isInterrupted()) {
                abort(Reason.CANCELLED);
            } else if (System.nanoTime() - deadline > 0) {
                abort(Reason.TIMEOUT);
            }
        }

        private void abort(Reason reason) {
            abortedFor = reason;
            HttpGet current = request;
            if (current != null) {
                current.abort();
            }
        }

        void begin(HttpGet get, String redacted) throws InputDownloadException {
            request = get;
            if (abortedFor != null) {
                get.abort();
                throw aborted(redacted, 0);
            }
        }

        void receive(HttpEntity entity, Path target, long maxBytes, String redacted)
                throws IOException, InputDownloadException {
            MessageDigest digest = Sha256.digest();
            Path directory = target.toAbsolutePath().getParent();
            try {
                temporary = Files.createTempFile(directory, "." + target.getFileName() + "-", ".part");
            } catch (IOException e) {
                throw failure(Reason.WRITE_FAILED, redacted, "cannot write " + target.getFileName()
                        + " to the workspace: " + describe(e));
            }
            bytes = 0;
            if (entity != null) {
                byte[] buffer = new byte[BUFFER];
                try (InputStream in = entity.getContent(); OutputStream out = Files.newOutputStream(temporary)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        bytes += n;
                        if (bytes > maxBytes) {
                            request.abort();
                            throw failure(Reason.TOO_LARGE, redacted, redacted + " is larger than the limit of "
                                    + maxBytes + " bytes");
                        }
                        digest.update(buffer, 0, n);
                        out.write(buffer, 0, n);
                    }
                }
            }
            sha256 = Sha256.hex(digest);
        }

        DownloadedInput result(Path target, String redacted) throws InputDownloadException {
            try {
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw failure(Reason.WRITE_FAILED, redacted, "cannot write " + target.getFileName()
                        + " to the workspace: " + describe(e));
            }
            temporary = null;
            return new DownloadedInput(target.getFileName().toString(), target, bytes, sha256, redacted);
        }

        void deleteTemporaryFile() {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // The workspace is removed with the job; a leftover part file is harmless.
                }
            }
        }

        /** Turns an I/O failure into the reason that explains it best. */
        InputDownloadException explain(IOException e, String redacted) {
            if (abortedFor != null) {
                return aborted(redacted, bytes);
            }
            if (e instanceof AddressRefused || refused) {
                return failure(Reason.ADDRESS_REFUSED, redacted, redacted + " refused: " + describe(e));
            }
            if (e instanceof UnknownHostException) {
                return failure(Reason.UNKNOWN_HOST, redacted, "cannot download " + redacted
                        + ": unknown host " + describe(e));
            }
            if (e instanceof ConnectTimeoutException) {
                return failure(Reason.TIMEOUT, redacted, "cannot download " + redacted + ": no connection within "
                        + config.connectTimeout().toMillis() + " ms");
            }
            if (e instanceof SocketTimeoutException) {
                return failure(Reason.TIMEOUT, redacted, "cannot download " + redacted + ": no data for "
                        + config.readTimeout().toMillis() + " ms");
            }
            if (e instanceof SSLException) {
                return failure(Reason.CONNECTION_FAILED, redacted, "cannot download " + redacted
                        + ": TLS failed: " + describe(e));
            }
            if (e instanceof InterruptedIOException) {
                return failure(Reason.CANCELLED, redacted, "download of " + redacted + " was interrupted");
            }
            return failure(Reason.CONNECTION_FAILED, redacted, "cannot download " + redacted + ": " + describe(e));
        }

        private InputDownloadException aborted(String redacted, long received) {
            return abortedFor == Reason.CANCELLED
                    ? failure(Reason.CANCELLED, redacted, "download of " + redacted + " cancelled after " + received
                            + " bytes")
                    : failure(Reason.TIMEOUT, redacted, "download of " + redacted + " took longer than "
                            + config.totalTimeout().toMillis() + " ms (" + received + " bytes received)");
        }
    }
}
