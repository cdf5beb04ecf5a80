package io.flinkjobrunner.ngsild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote contexts through a {@link ContextFetcher}, and datasetIds that are not IRIs. */
class RemoteContextsAndDatasetIdsTest {

    private static final IngestionClock CLOCK = IngestionClock.sequence(Instant.parse("2024-01-01T00:00:00Z"));
    private static final String REMOTE = "https://contexts.example.org/iff.jsonld";
    private static final String IFF_CONTEXT = "{\"@context\": {\"iff\": \"https://industry-fusion.com/types/v0.9/\"}}";

    /** Serves {@link #IFF_CONTEXT} for {@link #REMOTE} and records every URL asked for. */
    private static final class RecordingFetcher implements ContextFetcher {
        final List<String> asked = new ArrayList<>();

        @Override
        public FetchedContext fetch(String url) throws ContextFetchException {
            asked.add(url);
            if (!url.equals(REMOTE)) {
                throw new ContextFetchException("host refused by the test");
            }
            return new FetchedContext(IFF_CONTEXT.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-01-02T03:04:05Z"));
        }
    }

    private static String entity(String context, String datasetId) {
        return "{\"@context\": " + context + ", \"id\": \"urn:m:1\", \"type\": \"iff:machine\", \"iff:state\": "
                + "{\"type\": \"Property\", \"value\": 1" + (datasetId == null ? "" : ", \"datasetId\": " + datasetId)
                + "}}";
    }

    @Test
    void fetchesAnUnmappedContextAndRecordsItsDigest() throws Exception {
        RecordingFetcher fetcher = new RecordingFetcher();
        NgsiLdData data = new NgsiLdMapper(NgsiLdContexts.coreOnly().fetching(fetcher))
                .map(entity("\"" + REMOTE + "\"", null), "m.jsonld", CLOCK);

        assertEquals("https://industry-fusion.com/types/v0.9/machine", data.entities().get(0).type());
        assertEquals(List.of(REMOTE), fetcher.asked);
        assertEquals(List.of(new ContextDocument(REMOTE, "fetched 2026-01-02T03:04:05Z",
                NgsiLdContexts.sha256(IFF_CONTEXT.getBytes(StandardCharsets.UTF_8)))), data.contexts());
    }

    @Test
    void theMapAndTheBundledCoreContextWinOverFetching(@TempDir Path directory) throws Exception {
        Path local = directory.resolve("iff.jsonld");
        Files.writeString(local, IFF_CONTEXT);
        RecordingFetcher fetcher = new RecordingFetcher();
        NgsiLdData data = new NgsiLdMapper(NgsiLdContexts.withMappings(Map.of(REMOTE, local)).fetching(fetcher))
                .map(entity("[\"" + NgsiLdContexts.CORE_CONTEXT_URL + "\", \"" + REMOTE + "\"]", null), "m.jsonld",
                        CLOCK);

        assertEquals(List.of(), fetcher.asked, "nothing fetched");
        assertEquals(2, data.contexts().size(), data.contexts()::toString);
        assertEquals("bundled NGSI-LD core context", data.contexts().get(0).origin());
        assertEquals("mapped file " + local, data.contexts().get(1).origin());
    }

    @Test
    void aContextThatCannotBeFetchedIsAnErrorNamingIt() {
        RecordingFetcher fetcher = new RecordingFetcher();
        NgsiLdException refused = assertThrows(NgsiLdException.class, () -> new NgsiLdMapper(
                NgsiLdContexts.coreOnly().fetching(fetcher)).map(entity("\"http://10.0.0.1/ctx.jsonld\"", null),
                        "m.jsonld", CLOCK));
        assertEquals(NgsiLdException.Reason.CONTEXT_UNAVAILABLE, refused.reason());
        assertEquals("http://10.0.0.1/ctx.jsonld", refused.url().orElseThrow());
        assertEquals("m.jsonld: remote @context 'http://10.0.0.1/ctx.jsonld' cannot be fetched: host refused by the "
                + "test", refused.getMessage());

        NgsiLdException notJson = assertThrows(NgsiLdException.class, () -> new NgsiLdMapper(
                NgsiLdContexts.coreOnly().fetching(url -> new FetchedContext("<html>".getBytes(StandardCharsets.UTF_8),
                        Instant.EPOCH))).map(entity("\"" + REMOTE + "\"", null), "m.jsonld", CLOCK));
        assertEquals(NgsiLdException.Reason.CONTEXT_UNAVAILABLE, notJson.reason());
        assertTrue(notJson.getMessage().contains("not a JSON document"), notJson.getMessage());
    }

    @Test
    void offlineRefusesAnUnmappedContextAsBefore() {
        NgsiLdException e = assertThrows(NgsiLdException.class, () -> new NgsiLdMapper(NgsiLdContexts.coreOnly())
                .map(entity("\"" + REMOTE + "\"", null), "m.jsonld", CLOCK));
        assertEquals(NgsiLdException.Reason.UNMAPPED_CONTEXT, e.reason());
    }

    @Test
    void aDatasetIdThatIsNoIriIsTheOpaqueStringTheReferenceMakesOfIt() throws Exception {
        NgsiLdMapper mapper = new NgsiLdMapper(NgsiLdContexts.coreOnly().fetching(new RecordingFetcher()));
        String context = "\"" + REMOTE + "\"";
        String state = "https://industry-fusion.com/types/v0.9/state";
        for (String[] c : new String[][] {{"0", "0", "datasetId 0"}, {"1.0", "1.0", "datasetId 1.0"},
            {"true", "True", "datasetId True"}, {"\"line-1\"", "line-1", "datasetId 'line-1'"}}) {
            NgsiLdData data = mapper.map(entity(context, c[0]), "m.jsonld", CLOCK);
            AttributeRow row = data.attributes().get(0);
            assertEquals(c[1], row.datasetId(), c[0]);
            assertEquals("urn:m:1\\" + state + "\\" + c[1], row.id(), c[0]);
            assertEquals(List.of("entity 'urn:m:1', attribute '" + state + "': " + c[2] + " is not an IRI; taken as the "
                    + "opaque datasetId '" + c[1] + "', as the reference takes it"), data.warnings(), c[0]);
        }
        NgsiLdData iri = mapper.map(entity(context, "\"urn:d:1\""), "m.jsonld", CLOCK);
        assertEquals("urn:d:1", iri.attributes().get(0).datasetId());
        assertEquals(List.of(), iri.warnings());
    }
}
