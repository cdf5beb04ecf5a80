package io.flinkjobrunner.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code --context-map URL=FILE} options into the URL → file map of {@code NgsiLdContexts}. */
final class ContextMappings {

    private ContextMappings() {
    }

    /**
     * The map of {@code URL=FILE} entries; a later entry for the same URL wins.
     *
     * @throws IllegalArgumentException for an entry without {@code =}, an empty URL or a file that does not exist
     */
    static Map<String, Path> parse(List<String> entries) {
        Map<String, Path> mappings = new LinkedHashMap<>();
        for (String entry : entries) {
            // the last '=' separates: URLs may carry '=' in their query, file names rarely do
            int separator = entry.lastIndexOf('=');
            if (separator <= 0 || separator == entry.length() - 1) {
                throw new IllegalArgumentException("--context-map expects URL=FILE, got '" + entry + "'");
            }
            String url = entry.substring(0, separator).strip();
            Path file = Path.of(entry.substring(separator + 1).strip());
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--context-map " + url + ": no such file " + file);
            }
            mappings.put(url, file);
        }
        return mappings;
    }
}
