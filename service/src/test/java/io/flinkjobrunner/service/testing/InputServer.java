package io.flinkjobrunner.service.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server for job inputs: fixed documents, a slow drip that never finishes, a download that stalls the
 * first time only, a document paced over a given time, a redirect to a private address, an oversize body. Paths
 * answer with 404 unless registered.
 */
public final class InputServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> documents = new ConcurrentHashMap<>();
    private final java.util.Set<String> stalled = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> requests = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public InputServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "input-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** How many requests {@code path} has had. */
    public int requests(String path) {
        return requests.getOrDefault(path, 0);
    }

    /** Serves {@code body} at {@code path}. */
    public InputServer put(String path, String body) {
        documents.put(path, body.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Absolute URL of a path on this server. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.merge(path, 1, Integer::sum);
        try (ex) {
            if (path.startsWith("/slow/")) {
                drip(ex);
                return;
            }
            if (path.startsWith("/stall-once/")) {
                // the first request of a path stalls like /slow/ (a replica dies mid-download); later ones get the
                // document registered without the prefix (the attempt that resumes the job downloads it)
                String document = path.substring("/stall-once".length());
                if (stalled.add(document)) {
                    drip(ex);
                    return;
                }
                path = document;
            }
            if (path.startsWith("/paced/")) {
                // /paced/<millis>/<document>: the document spread evenly over that many milliseconds
                String rest = path.substring("/paced/".length());
                long millis = Long.parseLong(rest.substring(0, rest.indexOf('/')));
                byte[] body = documents.get(rest.substring(rest.indexOf('/')));
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                OutputStream out = ex.getResponseBody();
                int chunks = (int) Math.max(1, millis / 100);
                int size = (body.length + chunks - 1) / chunks;
                for (int off = 0; off < body.length && !closing; off += size) {
                    out.write(body, off, Math.min(size, body.length - off));
                    out.flush();
                    Thread.sleep(millis / chunks);
                }
                return;
            }
            if (path.startsWith("/redirect-private/")) {
                ex.getResponseHeaders().add("Location", "http://10.255.255.1/knowledge.ttl");
                ex.sendResponseHeaders(302, -1);
                return;
            }
            if (path.startsWith("/big/")) {
                long size = Long.parseLong(path.substring("/big/".length()));
                ex.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) '#');
                OutputStream out = ex.getResponseBody();
                for (long sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
                }
                return;
            }
            byte[] body = documents.get(path);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.getResponseHeaders().add("Content-Type", "text/turtle");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // client went away (cancelled or size-capped download)
        }
    }

    /** Headers and a first byte, then one byte per second: a download that never completes. */
    private void drip(HttpExchange ex) throws IOException, InterruptedException {
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < 600 && !closing; i++) {
            out.write('#');
            out.flush();
            Thread.sleep(1000);
        }
    }

    @Override
    public void close() {
        closing = true;
        server.stop(0);
    }
}
