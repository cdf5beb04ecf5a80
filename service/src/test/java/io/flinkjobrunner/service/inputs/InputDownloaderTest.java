package io.flinkjobrunner.service.inputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.flinkjobrunner.service.inputs.InputDownloadException.Reason;

/**
 * Runs the downloader against a JDK HttpServer on 127.0.0.1 (allow-listed as 127.0.0.1/32 unless a test needs the
 * guard to bite). Timeouts are short so the slow-server cases finish quickly; the {@code @Timeout}s only stop a hung
 * test, they assert nothing about speed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InputDownloaderTest {

    private static final String SECRET = "X-Amz-Signature=0123456789abcdefSECRET";
    private static final byte[] TURTLE = "@prefix ex: <http://example.org/> .\nex:a ex:b \"Grüße\" .\n"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path workspace;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch firstBytesSent = new CountDownLatch(1);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private int port;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        serverThreads = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "test-http-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(serverThreads);
        port = server.getAddress().getPort();
        handle("/kb.ttl", exchange -> send(exchange, 200, TURTLE));
        handle("/big", exchange -> send(exchange, 200, new byte[4096]));
        handle("/big-chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 8; i++) {
                    out.write(new byte[1024]);
                }
            }
        });
        handle("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 600 && release.getCount() > 0; i++) {
                    out.write('x');
                    out.flush();
                    firstBytesSent.countDown();
                    release.await(100, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException | IOException e) {
                // the client went away
            }
        });
        handle("/stall", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            awaitRelease();
            out.close();
        });
        handle("/missing", exchange -> send(exchange, 404, "not here".getBytes(StandardCharsets.UTF_8)));
        handle("/gzip", exchange -> {
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            send(exchange, 200, new byte[] {0x1f, (byte) 0x8b});
        });
        handle("/loop", exchange -> redirect(exchange, "/loop?" + SECRET));
        handle("/hop1", exchange -> redirect(exchange, "hop2"));
        handle("/hop2", exchange -> redirect(exchange, "http://127.0.0.1:" + port + "/kb.ttl?" + SECRET));
        handle("/to-metadata", exchange -> redirect(exchange, "http://169.254.169.254/latest/meta-data/?" + SECRET));
        handle("/to-private", exchange -> redirect(exchange, "http://10.0.0.1:" + port + "/kb.ttl"));
        handle("/to-file", exchange -> redirect(exchange, "file:///etc/passwd"));
        handle("/to-nowhere", exchange -> {
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            requests.add(exchange.getRequestURI().toString());
            handler.handle(exchange);
        });
    }

    private void awaitRelease() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private DownloadConfig config(String allowHosts) {
        return new DownloadConfig(1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(20),
                3, HostAllowList.parse(allowHosts), null);
    }

    private URI local(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private InputDownloadException failure(InputDownloader downloader, URI url) {
        return assertThrows(InputDownloadException.class,
                () -> downloader.download(url, workspace.resolve("knowledge.ttl"), Cancellation.NONE));
    }

    private void assertWorkspaceEmpty() throws IOException {
        try (Stream<Path> files = Files.list(workspace)) {
            assertEquals(List.of(), files.toList(), "no file or partial file may be left behind");
        }
    }

    private static void assertNoSecret(InputDownloadException error) {
        for (String text : new String[] {error.getMessage(), String.valueOf(error.redactedUrl()), error.toString()}) {
            assertFalse(text.contains("SECRET") || text.contains("s3cr3t") || text.contains("Signature"), text);
        }
    }

    @Test
    void downloadsToTheWorkspaceWithSizeAndSha256() throws Exception {
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            Path target = workspace.resolve("knowledge.ttl");
            DownloadedInput input = downloader.download(URI.create(local("/kb.ttl") + "?" + SECRET), target,
                    Cancellation.NONE);
            assertArrayEquals(TURTLE, Files.readAllBytes(target));
            assertEquals("knowledge.ttl", input.name());
            assertEquals(TURTLE.length, input.bytes());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TURTLE)),
                    input.sha256());
            assertEquals("http://127.0.0.1:" + port + "/kb.ttl?REDACTED", input.redactedUrl());
            try (Stream<Path> files = Files.list(workspace)) {
                assertEquals(List.of(target), files.toList());
            }
        }
    }

    @Test
    void replacesAnEarlierDownloadOfTheSameInput() throws Exception {
        Path target = workspace.resolve("knowledge.ttl");
        Files.writeString(target, "stale");
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            downloader.download(local("/kb.ttl"), target, Cancellation.NONE);
        }
        assertArrayEquals(TURTLE, Files.readAllBytes(target));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/big", "/big-chunked"})
    void refusesBodiesLargerThanTheCap(String path) throws IOException {
        DownloadConfig small = new DownloadConfig(1000, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(20), 3, HostAllowList.parse("127.0.0.1"), null);
        try (InputDownloader downloader = new InputDownloader(small)) {
            InputDownloadException error = failure(downloader, local(path));
            assertEquals(Reason.TOO_LARGE, error.reason());
            assertTrue(error.getMessage().contains("limit of 1000 bytes"), error.getMessage());
        }
        assertWorkspaceEmpty();
    }

    @Test
    void stopsASlowDripAtTheTotalTimeout() throws IOException {
        DownloadConfig patient = new DownloadConfig(1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofMillis(800), 3, HostAllowList.parse("127.0.0.1"), null);
        try (InputDownloader downloader = new InputDownloader(patient)) {
            InputDownloadException error = failure(downloader, local("/drip"));
            assertEquals(Reason.TIMEOUT, error.reason());
            assertTrue(error.getMessage().contains("took longer than 800 ms"), error.getMessage());
        }
        assertWorkspaceEmpty();
    }

    @Test
    void stopsAStalledServerAtTheReadTimeout() throws IOException {
        DownloadConfig impatient = new DownloadConfig(1024 * 1024, Duration.ofSeconds(2), Duration.ofMillis(300),
                Duration.ofSeconds(20), 3, HostAllowList.parse("127.0.0.1"), null);
        try (InputDownloader downloader = new InputDownloader(impatient)) {
            InputDownloadException error = failure(downloader, local("/stall"));
            assertEquals(Reason.TIMEOUT, error.reason());
            assertTrue(error.getMessage().contains("no data for 300 ms"), error.getMessage());
        }
        assertWorkspaceEmpty();
    }

    @Test
    void cancellationAbortsATransferInProgress() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread canceller = new Thread(() -> {
            try {
                firstBytesSent.await();
                cancelled.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            InputDownloadException error = assertThrows(InputDownloadException.class,
                    () -> downloader.download(local("/drip"), workspace.resolve("m.jsonld"), cancelled::get));
            assertEquals(Reason.CANCELLED, error.reason());
        }
        canceller.join();
        assertWorkspaceEmpty();
    }

    @Test
    void interruptingTheDownloadingThreadCancelsIt() throws Exception {
        AtomicReference<InputDownloadException> outcome = new AtomicReference<>();
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            Thread worker = new Thread(() -> {
                try {
                    downloader.download(local("/drip"), workspace.resolve("m.jsonld"), Cancellation.NONE);
                } catch (InputDownloadException e) {
                    outcome.set(e);
                }
            });
            worker.start();
            firstBytesSent.await();
            worker.interrupt();
            worker.join();
        }
        assertEquals(Reason.CANCELLED, outcome.get().reason());
    }

    @Test
    void refusesLoopbackUnlessAllowListed() throws IOException {
        try (InputDownloader downloader = new InputDownloader(config(""))) {
            InputDownloadException error = failure(downloader, local("/kb.ttl?" + SECRET));
            assertEquals(Reason.ADDRESS_REFUSED, error.reason());
            assertTrue(error.getMessage().contains("resolves to 127.0.0.1, a loopback (127.0.0.0/8) address"),
                    error.getMessage());
            assertNoSecret(error);
        }
        assertEquals(List.of(), requests, "a refused address must never be contacted");
    }

    @Test
    void followsRelativeAndAbsoluteRedirectsWithinTheLimit() throws Exception {
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            DownloadedInput input = downloader.download(local("/hop1"), workspace.resolve("shacl.ttl"),
                    Cancellation.NONE);
            assertEquals(TURTLE.length, input.bytes());
            assertEquals("http://127.0.0.1:" + port + "/hop1", input.redactedUrl());
        }
        assertEquals(List.of("/hop1", "/hop2", "/kb.ttl?" + SECRET), requests);
    }

    @Test
    void stopsARedirectLoopAtTheLimit() throws IOException {
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            InputDownloadException error = failure(downloader, local("/loop"));
            assertEquals(Reason.TOO_MANY_REDIRECTS, error.reason());
            assertEquals(4, requests.size(), "the first request plus 3 redirects");
            assertNoSecret(error);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/to-metadata", "/to-private"})
    void rechecksEveryRedirectHop(String path) throws IOException {
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            InputDownloadException error = failure(downloader, local(path));
            assertEquals(Reason.ADDRESS_REFUSED, error.reason());
            assertTrue(error.getMessage().contains(path.equals("/to-metadata")
                    ? "169.254.169.254, a link-local" : "10.0.0.1, a private"), error.getMessage());
            assertNoSecret(error);
        }
        assertWorkspaceEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.org/kb.ttl", "jar:file:/x.jar!/kb.ttl",
        "gopher://example.org/", "/relative/kb.ttl", "http:///no-host", "mailto:ops@example.org"})
    void refusesEverythingButHttpAndHttps(String url) throws IOException {
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            InputDownloadException error = failure(downloader, URI.create(url));
            assertEquals(Reason.SCHEME_REFUSED, error.reason());
        }
    }

    @Test
    void refusesARedirectToAnotherScheme() throws IOException {
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            InputDownloadException error = failure(downloader, local("/to-file"));
            assertEquals(Reason.SCHEME_REFUSED, error.reason());
            assertEquals("redirect to file:///etc/passwd refused: only http and https URLs can be downloaded,"
                    + " not file:", error.getMessage());
        }
    }

    @Test
    void reportsHttpStatusWithoutLeakingQueryOrUserInfo() throws IOException {
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            URI url = URI.create("http://ops:s3cr3t@127.0.0.1:" + port + "/missing?" + SECRET);
            InputDownloadException error = failure(downloader, url);
            assertEquals(Reason.HTTP_STATUS, error.reason());
            assertEquals(404, error.httpStatus().orElseThrow());
            assertEquals("http://REDACTED@127.0.0.1:" + port + "/missing?REDACTED answered HTTP 404 (Not Found)",
                    error.getMessage());
            assertNoSecret(error);
        }
    }

    @Test
    void reportsARedirectWithoutLocation() throws IOException {
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            InputDownloadException error = failure(downloader, local("/to-nowhere"));
            assertEquals(Reason.HTTP_STATUS, error.reason());
            assertEquals(302, error.httpStatus().orElseThrow());
        }
    }

    @Test
    void refusesEncodedBodies() throws IOException {
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            assertEquals(Reason.CONTENT_ENCODING, failure(downloader, local("/gzip")).reason());
        }
        assertWorkspaceEmpty();
    }

    @Test
    void connectsToTheAddressThatWasCheckedNotToASecondLookup() throws Exception {
        Map<String, Integer> lookups = new ConcurrentHashMap<>();
        HostResolver rebinding = host -> {
            int n = lookups.merge(host, 1, Integer::sum);
            // A rebinding DNS server answers with a public address first and a private one afterwards.
            return new InetAddress[] {InetAddress.getByName(n == 1 ? "127.0.0.1" : "10.0.0.1")};
        };
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"), rebinding)) {
            URI url = URI.create("http://files.test:" + port + "/kb.ttl");
            DownloadedInput input = downloader.download(url, workspace.resolve("kb.ttl"), Cancellation.NONE);
            assertEquals(TURTLE.length, input.bytes());
        }
        assertEquals(Map.of("files.test", 1), lookups);
    }

    @Test
    void refusesAHostWithAnyRefusedAddress() throws IOException {
        HostResolver mixed = host -> new InetAddress[] {InetAddress.getByName("93.184.216.34"),
            InetAddress.getByName("10.0.0.7")};
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"), mixed)) {
            InputDownloadException error = failure(downloader, URI.create("http://evil.test/kb.ttl"));
            assertEquals(Reason.ADDRESS_REFUSED, error.reason());
            assertTrue(error.getMessage().contains("evil.test resolves to 10.0.0.7"), error.getMessage());
        }
    }

    @Test
    void trustsAllowListedHostNamesWhateverTheyResolveTo() throws Exception {
        HostResolver cluster = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        try (InputDownloader downloader = new InputDownloader(config("*.svc.cluster.local"), cluster)) {
            URI url = URI.create("http://minio.storage.svc.cluster.local:" + port + "/kb.ttl");
            assertEquals(TURTLE.length, downloader.download(url, workspace.resolve("kb.ttl"), Cancellation.NONE)
                    .bytes());
        }
    }

    @Test
    void reportsUnknownHosts() throws IOException {
        HostResolver none = host -> {
            throw new UnknownHostException(host);
        };
        try (InputDownloader downloader = new InputDownloader(config(""), none)) {
            InputDownloadException error = failure(downloader, URI.create("https://nowhere.test/kb.ttl?" + SECRET));
            assertEquals(Reason.UNKNOWN_HOST, error.reason());
            assertNoSecret(error);
        }
    }

    @Test
    void reportsARefusedConnection() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        try (InputDownloader downloader = new InputDownloader(config("127.0.0.1"))) {
            InputDownloadException error = failure(downloader,
                    URI.create("http://127.0.0.1:" + closedPort + "/kb.ttl?" + SECRET));
            assertEquals(Reason.CONNECTION_FAILED, error.reason());
            assertNoSecret(error);
        }
    }
}
