package io.flinkjobrunner.service.targets.validate;

import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdException;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.inputs.GuardedContextFetcher;
import io.flinkjobrunner.service.targets.InputFile;
import io.flinkjobrunner.service.targets.StepLog;
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
 * Reads NGSI-LD models the way every part of the service does: the local copies of {@code runner.ngsild.contexts}
 * first, the bundled core context, then other remote contexts fetched through the guarded downloader
 * ({@link GuardedContextFetcher}; refused instead with {@code runner.ngsild.offline=true}); errors named after the
 * input ({@code model-instance.jsonld:3:7: ...}), never after the workspace path.
 */
@ApplicationScoped
public class ModelReader {

    @Inject
    RunnerConfig config;
    @Inject
    GuardedContextFetcher fetcher;

    /** The contexts models and posted entities resolve against: the map, the core context, fetched ones. */
    public NgsiLdContexts contexts() {
        NgsiLdContexts offline = offlineContexts();
        return config.ngsild().offline() ? offline : offline.fetching(fetcher);
    }

    /** Only the core context and {@code runner.ngsild.contexts}: nothing is fetched. */
    public NgsiLdContexts offlineContexts() {
        Map<String, Path> mappings = new LinkedHashMap<>();
        config.ngsild().contexts().forEach((url, file) -> mappings.put(url, Path.of(file)));
        return mappings.isEmpty() ? NgsiLdContexts.coreOnly() : NgsiLdContexts.withMappings(mappings);
    }

    /**
     * Maps the downloaded model and writes to {@code log} the remote contexts it used (origin and SHA-256) and the
     * mapping's warnings (e.g. a datasetId that is not an IRI).
     */
    public NgsiLdData read(InputFile model, IngestionClock clock, StepLog log) throws StepFailedException {
        NgsiLdData data = read(model, clock);
        data.contexts().forEach(c -> log.info(ValidateKeys.MODEL_FILE + " uses @context " + c));
        data.warnings().forEach(w -> log.warn(ValidateKeys.MODEL_FILE + ": " + w));
        return data;
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
        return switch (e.reason()) {
            case UNMAPPED_CONTEXT -> "; remote contexts are not fetched (runner.ngsild.offline=true): an operator can "
                    + "map it to a local copy with runner.ngsild.contexts.\"" + e.url().orElse("URL") + "\"=FILE";
            case CONTEXT_UNAVAILABLE -> "; an operator can also map it to a local copy with runner.ngsild.contexts.\""
                    + e.url().orElse("URL") + "\"=FILE";
            default -> "";
        };
    }
}
