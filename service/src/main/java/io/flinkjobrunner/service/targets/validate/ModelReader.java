package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdException;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.targets.InputFile;
import io.flinkjobrunner.service.targets.StepFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads NGSI-LD models the way every part of the service does: the bundled core context plus the offline copies of
 * {@code runner.ngsild.contexts} (nothing is fetched), errors named after the input ({@code model-instance.jsonld:3:7:
 * ...}), never after the workspace path.
 */
@ApplicationScoped
public class ModelReader {

    @Inject
    RunnerConfig config;

    /** The offline JSON-LD contexts: the core context and {@code runner.ngsild.contexts}. */
    public NgsiLdContexts contexts() {
        Map<String, Path> mappings = new LinkedHashMap<>();
        config.ngsild().contexts().forEach((url, file) -> mappings.put(url, Path.of(file)));
        return mappings.isEmpty() ? NgsiLdContexts.coreOnly() : NgsiLdContexts.withMappings(mappings);
    }

    /**
     * Maps the downloaded model ({@code urls.model}) to rows.
     *
     * @param clock timestamps of rows without {@code observedAt}
     * @throws StepFailedException for a model that cannot be mapped: syntax errors with line and column, unmapped
     *     remote contexts, invalid entities
     */
    public NgsiLdData read(InputFile model, IngestionClock clock) throws StepFailedException {
        String json;
        try {
            json = Files.readString(model.file(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StepFailedException(ValidateKeys.MODEL_FILE + " cannot be read as UTF-8 text: "
                    + e.getMessage(), e);
        }
        try {
            return new NgsiLdMapper(contexts()).map(json, ValidateKeys.MODEL_FILE, clock);
        } catch (NgsiLdException e) {
            throw new StepFailedException(e.getMessage() + hint(e), e);
        }
    }

    private static String hint(NgsiLdException e) {
        return e.reason() == NgsiLdException.Reason.UNMAPPED_CONTEXT
                ? "; an operator can map it to a local copy with runner.ngsild.contexts.\"" + e.url().orElse("URL")
                        + "\"=FILE" : "";
    }
}
