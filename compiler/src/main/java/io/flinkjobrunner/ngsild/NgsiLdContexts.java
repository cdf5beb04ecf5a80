package io.flinkjobrunner.ngsild;

import jakarta.json.JsonStructure;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Resolves remote {@code @context} URLs.
 *
 * <p>In this order: a user-supplied map from URL to local file (it wins over everything, including the bundled core
 * context); the NGSI-LD core context URLs ({@code https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld} and
 * its {@code -v1.N} spellings), which resolve to the bundled core context; then, with a {@link ContextFetcher}
 * ({@link #fetching}), the network as the fetcher reaches it. Without a fetcher (offline) any other URL is an error
 * that names it. Every resolution is described by a {@link ContextDocument} (origin and SHA-256).
 */
public final class NgsiLdContexts {

    /** Classpath location of the bundled NGSI-LD core context. */
    public static final String CORE_CONTEXT_RESOURCE = "/io/flinkjobrunner/ngsild/contexts/ngsi-ld-core-context.jsonld";
    /** The canonical NGSI-LD core context URL. */
    public static final String CORE_CONTEXT_URL = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld";

    private static final Pattern CORE_CONTEXT =
            Pattern.compile("https?://uri\\.etsi\\.org/ngsi-ld/v1/ngsi-ld-core-context(?:-v1\\.\\d+)?\\.jsonld");

    private final Map<String, Path> mappings;
    private final ContextFetcher fetcher;
    private final Map<String, Resolved> loaded = new ConcurrentHashMap<>();

    /** A resolved context: the parsed document and where it came from. */
    record Resolved(JsonStructure document, ContextDocument description) {
    }

    private NgsiLdContexts(Map<String, Path> mappings, ContextFetcher fetcher) {
        this.mappings = Map.copyOf(mappings);
        this.fetcher = fetcher;
    }

    /** Only the bundled NGSI-LD core context. */
    public static NgsiLdContexts coreOnly() {
        return new NgsiLdContexts(Map.of(), null);
    }

    /** The bundled core context plus {@code mappings} (context URL → local JSON-LD file). */
    public static NgsiLdContexts withMappings(Map<String, Path> mappings) {
        Objects.requireNonNull(mappings, "mappings");
        Map<String, Path> copy = new LinkedHashMap<>();
        mappings.forEach((url, file) -> copy.put(Objects.requireNonNull(url, "url"), Objects.requireNonNull(file,
                "file for " + url)));
        return new NgsiLdContexts(copy, null);
    }

    /** These contexts, with {@code fetcher} for every URL neither mapped nor a core context URL. */
    public NgsiLdContexts fetching(ContextFetcher fetcher) {
        return new NgsiLdContexts(mappings, Objects.requireNonNull(fetcher, "fetcher"));
    }

    /** Whether unmapped remote contexts are fetched ({@link #fetching}) rather than refused. */
    public boolean fetches() {
        return fetcher != null;
    }

    /** Whether {@code url} is one of the NGSI-LD core context URLs. */
    public static boolean isCoreContext(String url) {
        return CORE_CONTEXT.matcher(url).matches();
    }

    /** The user-supplied mappings. */
    public Map<String, Path> mappings() {
        return mappings;
    }

    /** The bundled core context document. */
    JsonStructure coreContext() throws NgsiLdException {
        return bundledCore().document();
    }

    private Resolved bundledCore() throws NgsiLdException {
        Resolved cached = loaded.get(CORE_CONTEXT_RESOURCE);
        if (cached != null) {
            return cached;
        }
        byte[] bytes;
        try (InputStream in = NgsiLdContexts.class.getResourceAsStream(CORE_CONTEXT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled NGSI-LD core context missing: " + CORE_CONTEXT_RESOURCE);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled NGSI-LD core context", e);
        }
        Resolved resolved = new Resolved(StrictJson.parse(new String(bytes, StandardCharsets.UTF_8),
                CORE_CONTEXT_RESOURCE), new ContextDocument(CORE_CONTEXT_URL, "bundled NGSI-LD core context",
                sha256(bytes)));
        loaded.put(CORE_CONTEXT_RESOURCE, resolved);
        return resolved;
    }

    /**
     * The context document for {@code url}.
     *
     * @param source the document that referenced the context, for error messages
     */
    Resolved resolve(String url, String source) throws NgsiLdException {
        Path file = mappings.get(url);
        if (file == null) {
            if (isCoreContext(url)) {
                Resolved core = bundledCore();
                return new Resolved(core.document(), new ContextDocument(url, core.description().origin(),
                        core.description().sha256()));
            }
            if (fetcher == null) {
                throw NgsiLdException.unmappedContext(source, url);
            }
            return fetch(url, source);
        }
        Resolved cached = loaded.get(url);
        if (cached != null) {
            return cached;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw NgsiLdException.contextUnreadable(source, url, "cannot read mapped file " + file + " ("
                    + describe(e) + ")", e);
        }
        Resolved resolved = new Resolved(StrictJson.parse(new String(bytes, StandardCharsets.UTF_8), file.toString()),
                new ContextDocument(url, "mapped file " + file, sha256(bytes)));
        loaded.put(url, resolved);
        return resolved;
    }

    /** Fetched documents are not kept here: the fetcher decides how long a copy is good for. */
    private Resolved fetch(String url, String source) throws NgsiLdException {
        FetchedContext fetched;
        try {
            fetched = fetcher.fetch(url);
        } catch (ContextFetchException e) {
            throw NgsiLdException.contextUnavailable(source, url, e.getMessage(), e);
        }
        String text = new String(fetched.content(), StandardCharsets.UTF_8);
        JsonStructure document;
        try {
            document = StrictJson.parse(text, url);
        } catch (NgsiLdException e) {
            throw NgsiLdException.contextUnavailable(source, url, "not a JSON document: " + e.getMessage(), e);
        }
        return new Resolved(document, new ContextDocument(url, "fetched " + fetched.fetchedAt(),
                sha256(fetched.content())));
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? "I/O error" : e.getMessage();
    }
}
