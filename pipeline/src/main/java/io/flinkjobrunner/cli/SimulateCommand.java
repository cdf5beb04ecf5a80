package io.flinkjobrunner.cli;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.CoverageReport;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdException;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.simulation.ModelScenario;
import io.flinkjobrunner.simulation.ModelScenarioResult;
import io.flinkjobrunner.simulation.ReferenceEntityUniverse;
import io.flinkjobrunner.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.eclipse.rdf4j.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fjr simulate}: compiles the shapes once, then runs the unit on the local engine once per model, each model an
 * independent scenario on fresh topics, and prints each model's final alert set. A model that cannot be read or run is
 * reported with its error and the others still run; the exit status then says that something failed.
 */
@Command(name = "simulate", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Run the compiled validation on the local engine (in-process Kafka + Flink) once per model and"
                + " print each model's final alerts.",
        footer = {"", "Output per model: a line '# <model path>', then one 'resource','event','severity' line per alert,",
            "sorted (the reference's *_result format). With --inserts, then a line '# inserts <model path>' and the",
            "rule-inferred attributes: entityId,name,nodeType,valueType,datasetId,type,attributeValue, sorted, sqlite",
            "-quote style (times are unix epoch ms). A model that fails gets '# error: <reason>' after its header",
            "instead, and the next model runs. Warnings (e.g. a datasetId that is not an IRI) and the remote",
            "@context documents used (with their SHA-256) go to stderr; so do logs (FJR_LOG_LEVEL, default error).",
            "", "Remote @context URLs that no --context-map maps are fetched (http/https only, at most 1 MiB, 30 s,",
            "5 redirects; no address policy: it runs as you); --offline refuses them instead.",
            "", "Exit codes: 0 every model ran, 1 invalid input (of any model), 2 usage, 3 the local engine or a",
            "Flink job failed (for any model)."})
final class SimulateCommand implements Callable<Integer> {

    /** Topics the unit is compiled for; every model runs on a prefixed copy of them. */
    private static final Topics COMPILED_TOPICS = Topics.defaults("simulate");

    @Spec
    private CommandSpec spec;

    @Mixin
    private KnowledgeAndShapes inputs;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "NGSI-LD entities (JSON-LD); repeat for several independent scenarios")
    private List<Path> models;

    @Option(names = "--context-map", paramLabel = "URL=FILE",
            description = "resolve the remote @context URL from a local file (repeatable); wins over fetching")
    private List<String> contextMappings = new ArrayList<>();

    @Option(names = "--offline",
            description = "never fetch a remote @context: a URL no --context-map maps is an error")
    private boolean offline;

    @Option(names = "--all-entities",
            description = "feed every entity of the models; by default only entities whose type is a target class"
                    + " (or subclass) of a node shape with sh:property are fed, as in the reference's tests, unless the"
                    + " shapes target nodes by id or predicate or reach other entities (sh:node, property paths,"
                    + " shapes nested in value shapes): then every entity is fed")
    private boolean allEntities;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "how long one model's run may take, ISO-8601 (default: ${DEFAULT-VALUE})")
    private Duration timeout;

    @Option(names = "--inserts",
            description = "also print each model's rule-inferred attribute rows (the attributes_insert topic)")
    private boolean inserts;

    /** One model's input: its rows, or why they could not be read. */
    private record ModelInput(Path path, NgsiLdData data, String error) {
    }

    @Override
    public Integer call() throws InvalidInputException {
        Map<String, Path> contexts;
        try {
            contexts = ContextMappings.parse(contextMappings);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // read every model before starting anything, so input errors show in seconds
        Instant ingestionBase = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        NgsiLdContexts resolution = NgsiLdContexts.withMappings(contexts);
        NgsiLdMapper mapper = new NgsiLdMapper(offline ? resolution : resolution.fetching(new HttpContextFetcher()));
        List<ModelInput> modelInputs = new ArrayList<>();
        for (Path model : models) {
            ModelInput input = read(mapper, model, ingestionBase);
            modelInputs.add(input);
            if (input.data() != null) {
                input.data().contexts().forEach(c -> err.println("fjr: " + model + ": @context " + c));
                input.data().warnings().forEach(w -> err.println("fjr: warning: " + model + ": " + w));
            } else {
                err.println("fjr: " + input.error());
            }
        }
        err.flush();
        if (modelInputs.stream().allMatch(i -> i.data() == null)) {
            return Fjr.INVALID_INPUT;
        }
        Model knowledgeGraph = Inputs.turtle(inputs.knowledge);
        RdfDocument shapesDocument = Inputs.document(inputs.shacl);
        Model shapes = shapesDocument.model();
        DeploymentUnit unit = Inputs.compile(knowledgeGraph, shapesDocument, inputs.shacl,
                new CompileOptions(COMPILED_TOPICS, "localhost:9092", TableNames.reference()), err);
        Set<String> universe = ReferenceEntityUniverse.of(knowledgeGraph, shapes);
        if (!unit.coverage().complete()) {
            err.println("fjr: warning: "
                    + unit.coverage().withStatus(CoverageReport.Status.REJECTED).size()
                    + " shape components were rejected and are not validated (fjr compile writes the coverage report)");
        }
        int status = 0;
        long started = System.nanoTime();
        try (LocalEngine engine = LocalEngine.start()) {
            err.printf(Locale.ROOT, "fjr: local engine started (Kafka %s) in %.1f s%n", engine.bootstrapServers(),
                    (System.nanoTime() - started) / 1e9);
            int number = 0;
            for (ModelInput input : modelInputs) {
                number++;
                if (input.data() == null) {
                    printError(out, input.path(), input.error());
                    status = Math.max(status, Fjr.INVALID_INPUT);
                    continue;
                }
                NgsiLdData data = allEntities || !ReferenceEntityUniverse.restricts(shapes) ? input.data()
                        : input.data().withEntityTypes(universe);
                ModelScenarioResult result;
                try {
                    result = new ModelScenario(unit, data, "model" + number + ".", inserts, timeout)
                            .run(engine, () -> false);
                } catch (LocalEngineException e) {
                    printError(out, input.path(), e.getMessage());
                    err.println("fjr: " + input.path() + ": the run failed: " + e.getMessage());
                    status = Fjr.ENGINE_FAILURE;
                    continue;
                }
                out.println("# " + input.path());
                result.alertLines().forEach(out::println);
                String inserted = "";
                if (inserts) {
                    List<String> rows = result.insertLines().orElseThrow();
                    out.println("# inserts " + input.path());
                    rows.forEach(out::println);
                    inserted = ", " + rows.size() + " rule output rows";
                }
                out.flush();
                err.printf(Locale.ROOT, "fjr: %s: %s%s (Flink job %.1f s)%n", input.path(), result.summary(),
                        inserted, result.jobDuration().toMillis() / 1000.0);
            }
        }
        if (status != 0) {
            long failed = modelInputs.stream().filter(i -> i.data() == null).count();
            err.println("fjr: " + (status == Fjr.ENGINE_FAILURE ? "a model's run failed" : failed + " of "
                    + modelInputs.size() + " models could not be read") + "; the other models' results are above");
        }
        return status;
    }

    private static void printError(PrintWriter out, Path model, String error) {
        out.println("# " + model);
        out.println("# error: " + error.replace('\n', ' '));
        out.flush();
    }

    private static ModelInput read(NgsiLdMapper mapper, Path model, Instant ingestionBase) {
        try {
            return new ModelInput(model, mapper.map(model, IngestionClock.sequence(ingestionBase)), null);
        } catch (NgsiLdException e) {
            return new ModelInput(model, null, e.getMessage() + hint(e));
        } catch (IOException e) {
            return new ModelInput(model, null, Inputs.fileError(model, e).getMessage());
        }
    }

    private static String hint(NgsiLdException e) {
        return switch (e.reason()) {
            case UNMAPPED_CONTEXT -> "; map it with --context-map " + e.url().orElse("URL")
                    + "=FILE, or leave out --offline to fetch it";
            case CONTEXT_UNAVAILABLE -> "; map it to a local copy with --context-map " + e.url().orElse("URL")
                    + "=FILE";
            default -> "";
        };
    }
}
