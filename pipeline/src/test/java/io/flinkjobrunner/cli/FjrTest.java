package io.flinkjobrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the {@code fjr} entry point in-process (not through the shell) and checks output and exit codes. */
class FjrTest {

    private static final Path TEST1 = Path.of("../compiler/src/test/resources/kms/kms-constraints/test1");

    private record Result(int exitCode, String out, String err) {
    }

    private static Result fjr(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Fjr.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void simulatesEachModelAndPrintsItsSortedAlerts() throws IOException {
        Path model1 = TEST1.resolve("model1.jsonld");
        Path model2 = TEST1.resolve("model2.jsonld");

        Result result = fjr("simulate", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                "--shacl", TEST1.resolve("shacl.ttl").toString(), "--model", model1.toString(),
                "--model", model2.toString());

        List<String> expected = new ArrayList<>();
        expected.add("# " + model1);
        expected.addAll(Files.readAllLines(TEST1.resolve("model1.jsonld_result")));
        expected.add("# " + model2);
        expected.addAll(Files.readAllLines(TEST1.resolve("model2.jsonld_result")));
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(String.join("\n", expected) + "\n", result.out().replace(System.lineSeparator(), "\n"));
    }

    /**
     * One bad model among good ones: every model gets its section (the bad one its error), the others still run,
     * the exit status says that one failed. A remote context is fetched once (from a loopback server) and named with
     * its digest; a numeric datasetId is taken as the opaque string the reference makes of it, with a warning.
     */
    @Test
    void simulateReportsEveryModelAndGoesOnAfterOneFails(@TempDir Path directory) throws Exception {
        String context = "{\"@context\": {\"iff\": \"https://industry-fusion.com/types/v0.9/\"}}";
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/contexts/iff.jsonld", exchange -> {
            requests.incrementAndGet();
            byte[] body = context.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/ld+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/contexts/iff.jsonld";
            Path broken = directory.resolve("broken.jsonld");
            Files.writeString(broken, "[{\"id\": \"urn:x\"\n  \"type\": \"T\"}]");
            Path numbered = directory.resolve("numbered.jsonld");
            Files.writeString(numbered, """
                    [{"@context": ["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld", "%s"],
                      "id": "urn:plasmacutter:1", "type": "iff:plasmacutter",
                      "iff:state": {"type": "Property", "value": {"@id": "iff:state_OFFF"}, "datasetId": 0}}]
                    """.formatted(url));
            Path again = directory.resolve("again.jsonld");
            Files.writeString(again, Files.readString(numbered).replace("\"datasetId\": 0", "\"datasetId\": 0.5"));
            Path model1 = TEST1.resolve("model1.jsonld");

            Result result = fjr("simulate", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                    "--shacl", TEST1.resolve("shacl.ttl").toString(), "--model", broken.toString(),
                    "--model", model1.toString(), "--model", numbered.toString(), "--model", again.toString());

            assertEquals(Fjr.INVALID_INPUT, result.exitCode(), result.err());
            List<String> model1Alerts = Files.readAllLines(TEST1.resolve("model1.jsonld_result"));
            List<String> expected = new ArrayList<>();
            expected.add("# " + broken);
            expected.add("# error: " + broken + ":2:3: Unexpected character ('\"' (code 34)): was expecting comma to "
                    + "separate Object entries");
            expected.add("# " + model1);
            expected.addAll(model1Alerts);
            // datasetId 0 is the instance id '0': the reference's event index is [0], as for the default instance
            expected.add("# " + numbered);
            expected.addAll(model1Alerts);
            expected.add("# " + again);
            expected.add(model1Alerts.get(0));
            expected.add(model1Alerts.get(1).replace("state[0]", "state[0.5]"));
            assertEquals(String.join("\n", expected) + "\n", result.out().replace(System.lineSeparator(), "\n"));
            assertTrue(result.err().contains("fjr: warning: " + numbered + ": entity 'urn:plasmacutter:1', attribute "
                    + "'https://industry-fusion.com/types/v0.9/state': datasetId 0 is not an IRI; taken as the opaque "
                    + "datasetId '0'"), result.err());
            String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(context.getBytes(StandardCharsets.UTF_8)));
            assertTrue(result.err().contains("fjr: " + numbered + ": @context " + url + " (fetched "), result.err());
            assertTrue(result.err().contains("sha256 " + digest + ")"), result.err());
            assertEquals(1, requests.get(), "fetched once per run, then cached by URL");

            Result offline = fjr("simulate", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                    "--shacl", TEST1.resolve("shacl.ttl").toString(), "--model", numbered.toString(), "--offline");
            assertEquals(Fjr.INVALID_INPUT, offline.exitCode());
            assertTrue(offline.err().contains("remote @context '" + url + "' is not mapped to a local file"),
                    offline.err());
            assertEquals(1, requests.get(), "--offline fetches nothing");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void simulateRefusesAContextItCannotFetchNamingIt(@TempDir Path directory) throws IOException {
        Path model = directory.resolve("model.jsonld");
        Files.writeString(model, """
                {"@context": "ftp://127.0.0.1/ctx.jsonld", "id": "urn:x", "type": "urn:T"}""");

        Result result = simulate(model);

        assertEquals(Fjr.INVALID_INPUT, result.exitCode());
        assertTrue(result.err().contains("remote @context 'ftp://127.0.0.1/ctx.jsonld' cannot be fetched: only "
                + "absolute http and https URLs are fetched"), result.err());
        assertTrue(result.err().contains("--context-map ftp://127.0.0.1/ctx.jsonld=FILE"), result.err());
    }

    @Test
    void compileWritesTheUnitAndTheCoverageReport(@TempDir Path output) throws IOException {
        Result result = fjr("compile", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                "--shacl", TEST1.resolve("shacl.ttl").toString(), "-o", output.toString(), "--deployment", "plant-1");

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().startsWith("coverage: "), result.out());
        String script = Files.readString(output.resolve("unit.sql"));
        assertTrue(script.contains("EXECUTE STATEMENT SET"), script);
        assertTrue(script.contains("'fjr.plant-1.constraint_table'"), script);
        assertTrue(script.contains("SET 'execution.buffer-timeout' = '0 ms';"), script);
        List<String> records = Files.readAllLines(output.resolve("semantic-data/records.jsonl"));
        assertTrue(records.size() > 10, "semantic records: " + records.size());
        ObjectMapper json = new ObjectMapper();
        assertTrue(records.stream().allMatch(line -> readTopic(json, line).startsWith("fjr.plant-1.")));
        assertTrue(json.readTree(output.resolve("coverage.json").toFile()).get("entries").isArray());
        assertTrue(Files.readString(output.resolve("coverage.txt")).startsWith("coverage: "));
    }

    /**
     * The planner cache: a compile records the unit Flink's planner accepted in --planner-cache (its SQL is unique to
     * this test's deployment name, so no earlier check in this JVM answered it); --no-planner-cache records nothing.
     */
    @Test
    void compileRemembersTheUnitThePlannerAcceptedUnlessToldNotTo(@TempDir Path directory) throws IOException {
        Path cache = directory.resolve("cache");
        String deployment = "cache-" + System.nanoTime();
        Result recorded = fjr("compile", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                "--shacl", TEST1.resolve("shacl.ttl").toString(), "-o", directory.resolve("a").toString(),
                "--deployment", deployment, "--planner-cache", cache.toString());
        assertEquals(0, recorded.exitCode(), recorded.err());
        try (var records = Files.list(cache.resolve("planner-checks"))) {
            assertEquals(1, records.count());
        }

        Path none = directory.resolve("none");
        Result unrecorded = fjr("compile", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                "--shacl", TEST1.resolve("shacl.ttl").toString(), "-o", directory.resolve("b").toString(),
                "--deployment", deployment + "-b", "--planner-cache", none.toString(), "--no-planner-cache");
        assertEquals(0, unrecorded.exitCode(), unrecorded.err());
        assertTrue(Files.notExists(none), "nothing written with --no-planner-cache");
    }

    @Test
    void compileTimesItsStepsOnRequest(@TempDir Path output) {
        Result result = fjr("compile", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                "--shacl", TEST1.resolve("shacl.ttl").toString(), "-o", output.toString(), "--timings");

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().strip().matches("fjr: timings: read knowledge \\d+ ms \\(\\d+ triples\\), read shapes "
                + "\\d+ ms \\(\\d+ triples\\), compile \\d+ ms, write \\d+ ms, check shapes \\d+ ms, planner check \\d+ ms"),
                result.err());
        assertTrue(result.out().startsWith("coverage: "), result.out());
    }

    /**
     * Inputs too large for the heap end with a message and exit code 1, not a stack trace: a child JVM with a 64 MiB
     * heap compiles a class hierarchy that is one chain of 3,000 classes (4.5 million closure pairs).
     */
    @Test
    void inputsTooLargeForTheHeapEndWithAMessageAndExitCodeOne(@TempDir Path directory) throws Exception {
        Path knowledge = directory.resolve("chain.ttl");
        StringBuilder chain = new StringBuilder("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n");
        for (int i = 1; i < 3_000; i++) {
            chain.append("<urn:c").append(i).append("> rdfs:subClassOf <urn:c").append(i - 1).append("> .\n");
        }
        Files.writeString(knowledge, chain);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Fjr.class.getName(), "compile",
                "--knowledge", knowledge.toString(), "--shacl", TEST1.resolve("shacl.ttl").toString(),
                "-o", directory.resolve("unit").toString(), "--no-planner-cache");
        pb.redirectErrorStream(true);
        pb.redirectOutput(directory.resolve("out.txt").toFile());
        Process fjr = pb.start();
        assertTrue(fjr.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "fjr ended");
        String out = Files.readString(directory.resolve("out.txt"));
        assertEquals(Fjr.INVALID_INPUT, fjr.exitValue(), out);
        assertTrue(out.contains("fjr: out of memory (Java heap space"), out);
        assertTrue(out.contains("; the heap limit is ") && out.contains(" MiB): the inputs are too large for this "
                + "heap; give fjr more, e.g. FJR_JAVA_OPTS=-Xmx4g"), out);
        assertTrue(!out.contains("Exception in thread"), out);
        assertTrue(Files.notExists(directory.resolve("unit")), "no unit written");
    }

    @Test
    void aBrokenKnowledgeGraphIsReportedFirstWhenBothInputsAreBroken(@TempDir Path directory) throws IOException {
        Path knowledge = directory.resolve("knowledge.ttl");
        Path shapes = directory.resolve("shacl.ttl");
        Files.writeString(knowledge, "<urn:a> <urn:b> .\n");
        Files.writeString(shapes, "<urn:a> .\n");

        Result result = fjr("compile", "--knowledge", knowledge.toString(), "--shacl", shapes.toString(), "-o",
                directory.resolve("out").toString());

        assertEquals(Fjr.INVALID_INPUT, result.exitCode());
        assertTrue(result.err().startsWith("fjr: " + knowledge + ":1:"), result.err());
    }

    /**
     * The shapes-graph check the service's check-shapes step makes: every violation on stderr with file:line:column,
     * exit 1, and the unit already in the output directory is left as it was (this graph once crashed the compiler).
     */
    @Test
    void compileRefusesAShapesGraphThatIsNotWellFormedSparingTheOutput(@TempDir Path directory) throws IOException {
        Path shapes = directory.resolve("shacl.ttl");
        Files.writeString(shapes, """
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                @prefix ex: <http://example.org/> .
                @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
                [] a sh:NodeShape, rdfs:Class ;
                    sh:property [ sh:path ex:p ; sh:maxCount 1 ] .
                """);
        Path output = Files.createDirectories(directory.resolve("out"));
        Files.writeString(output.resolve("unit.sql"), "the unit of an earlier compile");

        Result result = fjr("compile", "--knowledge", TEST1.resolve("knowledge.ttl").toString(), "--shacl",
                shapes.toString(), "-o", output.toString());

        assertEquals(Fjr.INVALID_INPUT, result.exitCode(), result.err());
        assertTrue(result.err().contains("fjr: " + shapes + ":4:1: violation [implicit-targetClass-nodeKind]"),
                result.err());
        assertTrue(result.err().contains(shapes + " is not a well-formed SHACL shapes graph (1 problem)"),
                result.err());
        assertEquals("the unit of an earlier compile", Files.readString(output.resolve("unit.sql")));
        try (java.util.stream.Stream<Path> left = Files.list(directory)) {
            assertEquals(List.of("out", "shacl.ttl"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void compileSetsTheBufferTimeoutAndRefusesANegativeOne(@TempDir Path output) throws IOException {
        String[] common = {"compile", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
            "--shacl", TEST1.resolve("shacl.ttl").toString(), "-o", output.toString()};
        Result batched = fjr(concat(common, "--buffer-timeout-ms", "25"));
        assertEquals(0, batched.exitCode(), batched.err());
        assertTrue(Files.readString(output.resolve("unit.sql")).contains("SET 'execution.buffer-timeout' = '25 ms';"));

        Result negative = fjr(concat(common, "--buffer-timeout-ms", "-5"));
        assertEquals(Fjr.INVALID_INPUT, negative.exitCode());
        assertEquals("fjr: --buffer-timeout-ms -5: must not be negative", negative.err().strip());
    }

    @Test
    void compileSetsTheAlertSettleWindowAndRefusesANegativeOne(@TempDir Path output) throws IOException {
        String[] common = {"compile", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
            "--shacl", TEST1.resolve("shacl.ttl").toString(), "-o", output.toString()};
        Result byDefault = fjr(common);
        assertEquals(0, byDefault.exitCode(), byDefault.err());
        assertTrue(Files.readString(output.resolve("unit.sql")).contains("'settle.window' = '50 ms'"));
        Result slower = fjr(concat(common, "--settle-window-ms", "400"));
        assertEquals(0, slower.exitCode(), slower.err());
        assertTrue(Files.readString(output.resolve("unit.sql")).contains("'settle.window' = '400 ms'"));
        Result off = fjr(concat(common, "--settle-window-ms", "0"));
        assertEquals(0, off.exitCode(), off.err());
        assertTrue(!Files.readString(output.resolve("unit.sql")).contains("settle"));

        Result negative = fjr(concat(common, "--settle-window-ms", "-1"));
        assertEquals(Fjr.INVALID_INPUT, negative.exitCode());
        assertEquals("fjr: --settle-window-ms -1: must not be negative", negative.err().strip());
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void reportsTurtleSyntaxErrorsWithFileLineAndColumn(@TempDir Path directory) throws IOException {
        Path shapes = directory.resolve("shacl.ttl");
        Files.writeString(shapes, "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:a> sh:path .\n");

        Result result = fjr("compile", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                "--shacl", shapes.toString(), "-o", directory.resolve("out").toString());

        assertEquals(Fjr.INVALID_INPUT, result.exitCode());
        assertTrue(result.err().startsWith("fjr: " + shapes + ":2:"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void reportsMalformedModelsWithFileLineAndColumnBeforeStartingTheEngine(@TempDir Path directory)
            throws IOException {
        Path model = directory.resolve("model.jsonld");
        Files.writeString(model, "[\n  {\"id\": \"urn:x\",\n    \"type\" \"urn:T\"}\n]");

        Result result = simulate(model);

        assertEquals(Fjr.INVALID_INPUT, result.exitCode());
        assertTrue(result.err().startsWith("fjr: " + model + ":3:12: Unexpected character"), result.err());
    }

    @Test
    void offlineNamesAnUnmappedContextAndHowToMapIt(@TempDir Path directory) throws IOException {
        Path model = directory.resolve("model.jsonld");
        Files.writeString(model, """
                {"@context": "https://industryfusion.github.io/contexts/tests/context1.jsonld",
                 "id": "urn:x", "type": "Cutter"}""");

        Result result = fjr("simulate", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                "--shacl", TEST1.resolve("shacl.ttl").toString(), "--model", model.toString(), "--offline");

        assertEquals(Fjr.INVALID_INPUT, result.exitCode());
        assertTrue(result.err().contains("remote @context 'https://industryfusion.github.io/contexts/tests/context1"
                + ".jsonld' is not mapped to a local file"), result.err());
        assertTrue(result.err().contains("--context-map https://industryfusion.github.io/contexts/tests/context1"
                + ".jsonld=FILE"), result.err());
    }

    @Test
    void rejectsMissingFilesAndBadContextMaps() {
        Result missing = simulate(Path.of("no/such/model.jsonld"));
        assertEquals(Fjr.INVALID_INPUT, missing.exitCode());
        assertEquals("fjr: no/such/model.jsonld: no such file", missing.err().strip());

        Result badMap = fjr("simulate", "--knowledge", "k.ttl", "--shacl", "s.ttl", "--model", "m.jsonld",
                "--context-map", "https://example.org/ctx.jsonld");
        assertEquals(Fjr.INVALID_INPUT, badMap.exitCode());
        assertTrue(badMap.err().contains("--context-map expects URL=FILE"), badMap.err());
    }

    @Test
    void rejectsUsageErrorsWithExitCode2() {
        Result none = fjr();
        assertEquals(Fjr.USAGE, none.exitCode());
        assertTrue(none.err().contains("missing command"), none.err());

        Result missingOption = fjr("simulate", "--knowledge", "k.ttl");
        assertEquals(Fjr.USAGE, missingOption.exitCode());
        assertTrue(missingOption.err().contains("Missing required options"), missingOption.err());

        Result unknown = fjr("validate");
        assertEquals(Fjr.USAGE, unknown.exitCode());
    }

    @Test
    void printsHelp() {
        Result help = fjr("simulate", "--help");

        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--context-map=URL=FILE"), help.out());
        assertTrue(help.out().contains("Exit codes: 0 every model ran, 1 invalid input (of any model), 2 usage"),
                help.out());
        assertTrue(help.out().contains("--offline"), help.out());
    }

    private static Result simulate(Path model) {
        return fjr("simulate", "--knowledge", TEST1.resolve("knowledge.ttl").toString(),
                "--shacl", TEST1.resolve("shacl.ttl").toString(), "--model", model.toString());
    }

    private static String readTopic(ObjectMapper json, String line) {
        try {
            return json.readTree(line).get("topic").asText();
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }
}
