package io.flinkjobrunner.ngsild;

import jakarta.json.JsonStructure;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Resolves remote {@code @context} URLs offline.
 *
 * <p>The NGSI-LD core context URLs ({@code https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld} and its
 * {@code -v1.N} spellings) resolve to the bundled core context; any other URL resolves only through a user-supplied
 * map from URL to local file (a user mapping also wins over the bundled core context). An unmapped URL is an error
 * that names it: nothing is ever fetched over the network.
 */
public final class NgsiLdContexts {

    /** Classpath location of the bundled NGSI-LD core context. */
    public static final String CORE_CONTEXT_RESOURCE = "/io/flinkjobrunner/ngsild/contexts/ngsi-ld-core-context.jsonld";
    /** The canonical NGSI-LD core context URL. */
    public static final String CORE_CONTEXT_URL = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld";

    private static final Pattern CORE_CONTEXT =
            Pattern.compile("https?://uri\\.etsi\\.org/ngsi-ld/v1/ngsi-ld-core-context(?:-v1\\.\\d+)?\\.jsonld");

    private final Map<String, Path> mappings;
    private final Map<String, JsonStructure> loaded = new ConcurrentHashMap<>();

    private NgsiLdContexts(Map<String, Path> mappings) {
        this.mappings = Map.copyOf(mappings);
    }

    /** Only the bundled NGSI-LD core context. */
    public static NgsiLdContexts coreOnly() {
        return new NgsiLdContexts(Map.of());
    }

    /** The bundled core context plus {@code mappings} (context URL → local JSON-LD file). */
    public static NgsiLdContexts withMappings(Map<String, Path> mappings) {
        Objects.requireNonNull(mappings, "mappings");
        Map<String, Path> copy = new LinkedHashMap<>();
        mappings.forEach((url, file) -> copy.put(Objects.requireNonNull(url, "url"), Objects.requireNonNull(file,
                "file for " + url)));
        return new NgsiLdContexts(copy);
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
        JsonStructure cached = loaded.get(CORE_CONTEXT_RESOURCE);
        if (cached != null) {
            return cached;
        }
        String text;
        try (InputStream in = NgsiLdContexts.class.getResourceAsStream(CORE_CONTEXT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled NGSI-LD core context missing: " + CORE_CONTEXT_RESOURCE);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled NGSI-LD core context", e);
        }
        JsonStructure document = StrictJson.parse(text, CORE_CONTEXT_RESOURCE);
        loaded.put(CORE_CONTEXT_RESOURCE, document);
        return document;
    }

    /**
     * The context document for {@code url}.
     *
     * @param source the document that referenced the context, for error messages
     */
    JsonStructure resolve(String url, String source) throws NgsiLdException {
        Path file = mappings.get(url);
        if (file == null) {
            if (isCoreContext(url)) {
                return coreContext();
            }
            throw NgsiLdException.unmappedContext(source, url);
        }
        JsonStructure cached = loaded.get(url);
        if (cached != null) {
            return cached;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw NgsiLdException.contextUnreadable(source, url, "cannot read mapped file " + file + " ("
                    + describe(e) + ")", e);
        }
        JsonStructure document = StrictJson.parse(text, file.toString());
        loaded.put(url, document);
        return document;
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
