package io.flinkjobrunner.service.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import io.flinkjobrunner.service.inputs.InputDownloadException.Reason;

/**
 * HTTPS with a certificate for {@code files.test} served on 127.0.0.1: the downloader connects to the address its
 * resolver checked, yet sends the host name as SNI and verifies the certificate against the host name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InputDownloaderTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final byte[] BODY = "@prefix ex: <http://example.org/> .\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path keys;

    private static HttpsServer server;
    private static SSLContext clientTrust;
    private static final List<String> serverNames = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        Path keystore = keys.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=files.test",
                "-ext", "SAN=dns:files.test", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        SSLContext serverContext = SSLContext.getInstance("TLS");
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        clientTrust = trusting(store);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = serverContext.getDefaultSSLParameters();
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/kb.ttl", exchange -> {
            if (exchange instanceof HttpsExchange https
                    && https.getSSLSession() instanceof ExtendedSSLSession session) {
                session.getRequestedServerNames().forEach(name -> serverNames.add(((SNIHostName) name)
                        .getAsciiName()));
            }
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.createContext("/to-http", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://files.test/kb.ttl");
            exchange.sendResponseHeaders(301, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static SSLContext trusting(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static InputDownloader downloader() {
        DownloadConfig config = new DownloadConfig(1024 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(20), 3, HostAllowList.parse("127.0.0.0/8"), clientTrust);
        return new InputDownloader(config, host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});
    }

    private static URI url(String host) {
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + "/kb.ttl?sig=SECRET");
    }

    @Test
    void verifiesTheCertificateAgainstTheHostNameAndSendsItAsSni(@TempDir Path workspace) throws Exception {
        try (InputDownloader downloader = downloader()) {
            DownloadedInput input = downloader.download(url("files.test"), workspace.resolve("kb.ttl"),
                    Cancellation.NONE);
            assertEquals(BODY.length, input.bytes());
        }
        assertTrue(serverNames.contains("files.test"), serverNames.toString());
    }

    @Test
    void refusesACertificateForAnotherHost(@TempDir Path workspace) throws IOException {
        try (InputDownloader downloader = downloader()) {
            InputDownloadException error = assertThrows(InputDownloadException.class,
                    () -> downloader.download(url("other.test"), workspace.resolve("kb.ttl"), Cancellation.NONE));
            assertEquals(Reason.CONNECTION_FAILED, error.reason());
            assertTrue(error.getMessage().contains("TLS failed"), error.getMessage());
            assertTrue(!error.getMessage().contains("SECRET"), error.getMessage());
        }
    }

    @Test
    void refusesARedirectFromHttpsToHttp(@TempDir Path workspace) throws IOException {
        try (InputDownloader downloader = downloader()) {
            URI url = URI.create("https://files.test:" + server.getAddress().getPort() + "/to-http");
            InputDownloadException error = assertThrows(InputDownloadException.class,
                    () -> downloader.download(url, workspace.resolve("kb.ttl"), Cancellation.NONE));
            assertEquals(Reason.SCHEME_REFUSED, error.reason());
            assertEquals("redirect from https to http://files.test/kb.ttl refused: it would downgrade to plain http",
                    error.getMessage());
        }
    }
}
