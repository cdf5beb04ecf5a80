package io.flinkjobrunner.ngsild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import no.hasmac.jsonld.JsonLd;
import no.hasmac.jsonld.JsonLdError;
import no.hasmac.jsonld.JsonLdOptions;
import no.hasmac.jsonld.document.JsonDocument;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.util.Models;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NgsiLdMapperTest {

    private static final Path KMS = Path.of("src/test/resources/kms");
    private static final IngestionClock CLOCK = IngestionClock.sequence(Instant.parse("2024-01-01T00:00:00Z"));

    private final NgsiLdMapper mapper = new NgsiLdMapper(NgsiLdContexts.coreOnly());

    @Test
    void mapsEveryModelOfTheReferenceCases() throws IOException {
        List<Path> models;
        try (Stream<Path> files = Files.walk(KMS)) {
            models = files.filter(file -> file.getFileName().toString().endsWith(".jsonld"))
                    .filter(file -> !file.getFileName().toString().equals("context.jsonld"))
                    .sorted()
                    .toList();
        }
        assertTrue(models.size() >= 40, "found " + models.size() + " models");
        for (Path model : models) {
            try {
                NgsiLdData data = mapper.map(model, CLOCK);
                assertFalse(data.entities().isEmpty(), model + " has entities");
                assertFalse(data.attributes().isEmpty(), model + " has attributes");
            } catch (NgsiLdException e) {
                throw new AssertionError(model + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The mapper applies the core context once per thread instead of handing it to the processor as expandContext for
     * every document; the expanded form must be the processor's own, for every document we have (remote contexts,
     * prefixes, value kinds) and on more than one thread.
     */
    @Test
    void expandsEveryDocumentAsTheJsonLdProcessorDoesWithTheCoreContext() throws Exception {
        NgsiLdMapper withContexts = new NgsiLdMapper(NgsiLdContexts.withMappings(Map.of(
                "https://example.org/contexts/kms-test1.jsonld", KMS.resolve("kms-constraints/test1/context.jsonld"))));
        List<Path> documents;
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources"))) {
            documents = files.filter(file -> file.getFileName().toString().endsWith(".jsonld")).sorted().toList();
        }
        assertTrue(documents.size() >= 80, "found " + documents.size() + " documents");
        Callable<Integer> compareAll = () -> {
            int expanded = 0;
            for (Path document : documents) {
                jakarta.json.JsonStructure json = StrictJson.parse(Files.readString(document), document.toString());
                jakarta.json.JsonArray expected;
                try {
                    JsonLdOptions options = new JsonLdOptions(withContexts.new ContextLoader(document.toString()));
                    options.setExpandContext(JsonDocument.of((jakarta.json.JsonStructure) NgsiLdContexts.coreOnly()
                            .coreContext().asJsonObject().get("@context")));
                    expected = JsonLd.expand(JsonDocument.of(json)).options(options).get();
                } catch (JsonLdError e) {
                    assertThrows(NgsiLdException.class, () -> withContexts.expand(json, document.toString(),
                            withContexts.new ContextLoader(document.toString())), document.toString());
                    continue;
                }
                assertEquals(expected, withContexts.expand(json, document.toString(),
                        withContexts.new ContextLoader(document.toString())), document.toString());
                expanded++;
            }
            return expanded;
        };
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = threads.invokeAll(List.of(compareAll, compareAll, compareAll));
            for (Future<Integer> run : runs) {
                assertTrue(run.get() >= 80, run.get() + " documents expanded");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void keepsJsonNumberTokensApart() throws NgsiLdException {
        NgsiLdData data = map("""
                {"id": "urn:x:1", "type": "urn:T",
                 "urn:a": {"type": "Property", "value": 1.0},
                 "urn:b": {"type": "Property", "value": 1},
                 "urn:c": {"type": "Property", "value": 1E2},
                 "urn:d": {"type": "Property", "value": 12345678901234567890123}}""");

        assertEquals(List.of(
                        "urn:a http://www.w3.org/2001/XMLSchema#double 1.0",
                        "urn:b http://www.w3.org/2001/XMLSchema#integer 1",
                        "urn:c http://www.w3.org/2001/XMLSchema#double 100.0",
                        "urn:d http://www.w3.org/2001/XMLSchema#integer 12345678901234567890123"),
                data.attributes().stream().map(row -> row.name() + " " + row.valueType() + " " + row.attributeValue())
                        .toList());
    }

    @Test
    void impliesTheCoreContextWhenAnEntityHasNone() throws NgsiLdException {
        NgsiLdData data = map("""
                {"id": "urn:x:1", "type": "https://example.org/Thing",
                 "https://example.org/temperature": {"type": "Property", "value": 21.5, "observedAt": "2024-05-01T10:00:00Z"}}""");

        AttributeRow row = data.attributes().get(0);
        assertEquals("https://uri.etsi.org/ngsi-ld/Property", row.type());
        assertEquals("21.5", row.attributeValue());
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), row.ts());
    }

    @Test
    void expandsTermsOfAnInlineContext() throws NgsiLdException {
        NgsiLdData data = map("""
                {"@context": ["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
                              {"@vocab": "https://example.org/vocab/", "ex": "https://example.org/ns#"}],
                 "id": "urn:x:1", "type": "Cutter", "ex:speed": {"type": "Property", "value": 3}}""");

        assertEquals("https://example.org/vocab/Cutter", data.entities().get(0).type());
        assertEquals("https://example.org/ns#speed", data.attributes().get(0).name());
    }

    @Test
    void rejectsAnUnmappedRemoteContextNamingItsUrl() {
        NgsiLdException error = assertThrows(NgsiLdException.class, () -> map("""
                {"@context": "https://industryfusion.github.io/contexts/tests/context1.jsonld",
                 "id": "urn:x:1", "type": "Cutter"}"""));

        assertEquals(NgsiLdException.Reason.UNMAPPED_CONTEXT, error.reason());
        assertEquals("https://industryfusion.github.io/contexts/tests/context1.jsonld", error.url().orElseThrow());
        assertEquals("model.jsonld: remote @context 'https://industryfusion.github.io/contexts/tests/context1.jsonld'"
                + " is not mapped to a local file (offline: remote contexts are not fetched)", error.getMessage());
    }

    @Test
    void resolvesMappedContextsIncludingNestedReferencesToTheCore(@TempDir Path directory) throws Exception {
        Path context = directory.resolve("context1.jsonld");
        Files.writeString(context, """
                {"@context": ["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
                              {"iff": {"@id": "https://industry-fusion.com/types/v0.9/", "@prefix": true}}]}""");
        NgsiLdMapper mapped = new NgsiLdMapper(NgsiLdContexts.withMappings(Map.of(
                "https://industryfusion.github.io/contexts/tests/context1.jsonld", context)));

        NgsiLdData data = mapped.map("""
                {"@context": "https://industryfusion.github.io/contexts/tests/context1.jsonld",
                 "id": "urn:x:1", "type": "iff:cutter", "iff:state": {"type": "Property", "value": {"@id": "iff:ON"}}}""",
                "model.jsonld", CLOCK);

        assertEquals("https://industry-fusion.com/types/v0.9/cutter", data.entities().get(0).type());
        assertEquals("https://industry-fusion.com/types/v0.9/ON", data.attributes().get(0).attributeValue());
    }

    @Test
    void mappersOnOneThreadResolveTheSameContextUrlEachThroughItsOwnMapping(@TempDir Path directory) throws Exception {
        // the processed core context is shared per thread by all mappers; the contexts a document names are not
        Path first = directory.resolve("first.jsonld");
        Path second = directory.resolve("second.jsonld");
        Files.writeString(first, "{\"@context\": {\"t\": \"https://first.example/t\"}}");
        Files.writeString(second, "{\"@context\": {\"t\": \"https://second.example/t\"}}");
        String url = "https://contexts.example/ctx.jsonld";
        NgsiLdMapper one = new NgsiLdMapper(NgsiLdContexts.withMappings(Map.of(url, first)));
        NgsiLdMapper other = new NgsiLdMapper(NgsiLdContexts.withMappings(Map.of(url, second)));
        String model = "{\"@context\": \"" + url + "\", \"id\": \"urn:x:1\", \"type\": \"t\"}";

        for (int round = 0; round < 2; round++) {
            assertEquals("https://first.example/t", one.map(model, "model.jsonld", CLOCK).entities().get(0).type());
            assertEquals("https://second.example/t", other.map(model, "model.jsonld", CLOCK).entities().get(0).type());
        }
        NgsiLdException unmapped = assertThrows(NgsiLdException.class,
                () -> new NgsiLdMapper(NgsiLdContexts.coreOnly()).map(model, "model.jsonld", CLOCK));
        assertTrue(unmapped.getMessage().contains(url), unmapped.getMessage());
    }

    @Test
    void userMappingWinsOverTheBundledCoreContext(@TempDir Path directory) {
        Path missing = directory.resolve("missing-core.jsonld");
        NgsiLdMapper mapped = new NgsiLdMapper(NgsiLdContexts.withMappings(Map.of(
                NgsiLdContexts.CORE_CONTEXT_URL, missing)));

        NgsiLdException error = assertThrows(NgsiLdException.class, () -> mapped.map("""
                {"@context": "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld", "id": "urn:x:1",
                 "type": "urn:T"}""", "model.jsonld", CLOCK));

        assertEquals(NgsiLdException.Reason.CONTEXT_UNREADABLE, error.reason());
        assertTrue(error.getMessage().contains("cannot read mapped file " + missing + " (no such file)"),
                error.getMessage());
    }

    @Test
    void reportsSyntaxErrorsOfAMappedContextFileWithLineAndColumn(@TempDir Path directory) throws IOException {
        Path context = directory.resolve("broken.jsonld");
        Files.writeString(context, "{\"@context\": {\n  \"iff\": \"https://x/\",\n  }\n}");
        NgsiLdMapper mapped = new NgsiLdMapper(NgsiLdContexts.withMappings(Map.of("https://x/ctx", context)));

        NgsiLdException error = assertThrows(NgsiLdException.class,
                () -> mapped.map("{\"@context\": \"https://x/ctx\", \"id\": \"urn:x\", \"type\": \"urn:T\"}",
                        "model.jsonld", CLOCK));

        assertEquals(NgsiLdException.Reason.JSON_SYNTAX, error.reason());
        assertEquals(context.toString(), error.source());
        assertEquals(3, error.line());
        assertEquals(3, error.column());
        assertTrue(error.getMessage().startsWith(context + ":3:3: Unexpected character ('}'"), error.getMessage());
    }

    @Test
    void reportsMalformedJsonWithLineAndColumn() {
        NgsiLdException error = assertThrows(NgsiLdException.class, () -> map("[\n  {\"id\": \"urn:x\",\n    \"type\" \"urn:T\"}\n]"));

        assertEquals(NgsiLdException.Reason.JSON_SYNTAX, error.reason());
        assertEquals(3, error.line());
        assertEquals(12, error.column());
        assertTrue(error.getMessage().startsWith("model.jsonld:3:12: Unexpected character ('\"'"), error.getMessage());
    }

    @Test
    void rejectsDuplicateKeys() {
        NgsiLdException error = assertThrows(NgsiLdException.class,
                () -> map("{\"id\": \"urn:x\",\n \"id\": \"urn:y\", \"type\": \"urn:T\"}"));

        assertEquals(2, error.line());
        assertTrue(error.getMessage().contains("Duplicate field 'id'"), error.getMessage());
    }

    @Test
    void rejectsEntitiesThatBreakNgsiLdRules() {
        assertEquals("model.jsonld: entity #2 has no id", invalid("""
                [{"id": "urn:x:1", "type": "urn:T"}, {"type": "urn:T"}]"""));
        assertEquals("model.jsonld: entity 'urn:x:1' has no type", invalid("{\"id\": \"urn:x:1\"}"));
        assertEquals("model.jsonld: entity 'urn:x:1' has no type", invalid("""
                {"id": "urn:x:1", "urn:a": {"type": "Property", "value": 1}}"""));
        assertEquals("model.jsonld: entity 'urn:x:1', attribute 'urn:a': observedAt 'yesterday' is not a date-time"
                + " (expected e.g. 2023-03-24T13:42:32Z or 2023-03-24 13:42:32.0)", invalid("""
                {"id": "urn:x:1", "type": "urn:T", "urn:a": {"type": "Property", "value": 1, "observedAt": "yesterday"}}"""));
        assertEquals("model.jsonld: entity 'urn:x:1', attribute 'urn:a' has both hasValue and hasObject", invalid("""
                {"id": "urn:x:1", "type": "urn:T", "urn:a": {"type": "Property", "value": 1, "object": "urn:y"}}"""));
        assertTrue(invalid("""
                {"id": "urn:x:1", "type": "urn:T", "urn:a": {"type": "Property", "value": {"speed": 1}}}""")
                .contains("has a structured value; use a JsonProperty"));
        assertEquals("model.jsonld: entity 'x1': id 'x1' is not an absolute IRI (is a term missing from the"
                + " @context?)", invalid("{\"id\": \"x1\", \"type\": \"urn:T\"}"));
    }

    @Test
    void buildsTheNgsiLdRdfShapeWithTypedLiterals() throws Exception {
        NgsiLdData data = map("""
                {"id": "urn:x:1", "type": "urn:T",
                 "urn:temperature": {"type": "Property", "value": 1.0, "datasetId": "urn:d:1", "unitCode": "CEL",
                                     "urn:accuracy": {"type": "Property", "value": 1}},
                 "urn:hasFilter": {"type": "Relationship", "object": "urn:filter:1"},
                 "urn:config": {"type": "JsonProperty", "json": {"b": 1, "a": true}},
                 "urn:steps": {"type": "ListProperty", "valueList": [1, "a"]}}""");

        Model expected = Rio.parse(new StringReader("""
                @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
                @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
                @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
                <urn:x:1> a <urn:T> ;
                  <urn:temperature> [ a ngsi-ld:Property ; ngsi-ld:hasValue "1.0"^^xsd:double ;
                                      ngsi-ld:datasetId <urn:d:1> ; ngsi-ld:unitCode "CEL" ;
                                      <urn:accuracy> [ a ngsi-ld:Property ; ngsi-ld:hasValue 1 ] ] ;
                  <urn:hasFilter> [ a ngsi-ld:Relationship ; ngsi-ld:hasObject <urn:filter:1> ] ;
                  <urn:config> [ a ngsi-ld:JsonProperty ; ngsi-ld:hasJSON "{\\"a\\":true,\\"b\\":1}"^^rdf:JSON ] ;
                  <urn:steps> [ a ngsi-ld:ListProperty ; ngsi-ld:hasValueList ( 1 "a" ) ] .
                """), RDFFormat.TURTLE);
        assertTrue(Models.isomorphic(expected, data.rdf()), () -> "got " + data.rdf());
    }

    @Test
    void assignsTheIngestionClockInDocumentOrderAndObservedAtOtherwise() throws NgsiLdException {
        NgsiLdData data = mapper.map("""
                {"id": "urn:x:1", "type": "urn:T",
                 "urn:a": {"type": "Property", "value": 1},
                 "urn:b": {"type": "Property", "value": 2, "observedAt": "2023-03-24 13:42:32.0"},
                 "urn:c": {"type": "Property", "value": 3}}""", "model.jsonld",
                IngestionClock.sequence(Instant.parse("2024-01-01T00:00:00Z")));

        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), data.entities().get(0).ts());
        assertEquals(List.of(Instant.parse("2024-01-01T00:00:00.001Z"), Instant.parse("2023-03-24T13:42:32Z"),
                Instant.parse("2024-01-01T00:00:00.002Z")), data.attributes().stream().map(AttributeRow::ts).toList());
    }

    @Test
    void keepsOnlyEntitiesOfTheGivenTypesWithTheirAttributes() throws NgsiLdException {
        NgsiLdData data = map("""
                [{"id": "urn:a", "type": ["urn:Machine", "urn:Other"], "urn:p": {"type": "Property", "value": 1}},
                 {"id": "urn:b", "type": "urn:Other", "urn:p": {"type": "Property", "value": 2}}]""");

        NgsiLdData machines = data.withEntityTypes(Set.of("urn:Machine"));

        assertEquals(List.of("urn:a urn:Machine"),
                machines.entities().stream().map(row -> row.id() + " " + row.type()).toList());
        assertEquals(List.of("urn:a"), machines.attributes().stream().map(AttributeRow::entityId).toList());
    }

    private NgsiLdData map(String json) throws NgsiLdException {
        return mapper.map(json, "model.jsonld", CLOCK);
    }

    private String invalid(String json) {
        NgsiLdException error = assertThrows(NgsiLdException.class, () -> map(json));
        assertEquals(NgsiLdException.Reason.INVALID_ENTITY, error.reason(), error.getMessage());
        return error.getMessage();
    }
}
