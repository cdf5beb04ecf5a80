package io.flinkjobrunner.cli;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.CoverageReport;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.engine.LocalEngine;
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
import java.util.LinkedHashMap;
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
 * independent scenario on fresh topics, and prints each model's final alert set.
 */
@Command(name = "simulate", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Run the compiled validation on the local engine (in-process Kafka + Flink) once per model and"
                + " print each model's final alerts.",
        footer = {"", "Output per model: a line '# <model path>', then one 'resource','event','severity' line per alert,",
            "sorted (the reference's *_result format). With --inserts, then a line '# inserts <model path>' and the",
            "rule-inferred attributes: entityId,name,nodeType,valueType,datasetId,type,attributeValue, sorted, sqlite",
            "-quote style (times are unix epoch ms). Logs go to stderr (FJR_LOG_LEVEL, default error).",
            "", "Exit codes: 0 ok, 1 invalid input, 2 usage, 3 the local engine or a Flink job failed."})
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
            description = "resolve the remote @context URL from a local file (repeatable); nothing is fetched")
    private List<String> contextMappings = new ArrayList<>();

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

    @Override
    public Integer call() throws InvalidInputException {
        Map<String, Path> contexts;
        try {
            contexts = ContextMappings.parse(contextMappings);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        // read every input before starting anything, so a typo in the last model fails in seconds
        Instant ingestionBase = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        NgsiLdMapper mapper = new NgsiLdMapper(NgsiLdContexts.withMappings(contexts));
        Map<Path, NgsiLdData> scenarios = new LinkedHashMap<>();
        for (Path model : models) {
            scenarios.put(model, map(mapper, model, ingestionBase));
        }
        Model knowledgeGraph = Inputs.turtle(inputs.knowledge);
        Model shapes = Inputs.turtle(inputs.shacl);
        DeploymentUnit unit = Inputs.compile(knowledgeGraph, shapes, inputs.shacl,
                new CompileOptions(COMPILED_TOPICS, "localhost:9092", TableNames.reference()));
        Set<String> universe = ReferenceEntityUniverse.of(knowledgeGraph, shapes);
        if (!unit.coverage().complete()) {
            spec.commandLine().getErr().println("fjr: warning: "
                    + unit.coverage().withStatus(CoverageReport.Status.REJECTED).size()
                    + " shape components were rejected and are not validated (fjr compile writes the coverage report)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        try (LocalEngine engine = LocalEngine.start()) {
            err.printf(Locale.ROOT, "fjr: local engine started (Kafka %s) in %.1f s%n", engine.bootstrapServers(),
                    (System.nanoTime() - started) / 1e9);
            int number = 0;
            for (Map.Entry<Path, NgsiLdData> scenario : scenarios.entrySet()) {
                NgsiLdData data = allEntities || !ReferenceEntityUniverse.restricts(shapes) ? scenario.getValue()
                        : scenario.getValue().withEntityTypes(universe);
                ModelScenarioResult result = new ModelScenario(unit, data, "model" + ++number + ".", inserts, timeout)
                        .run(engine, () -> false);
                out.println("# " + scenario.getKey());
                result.alertLines().forEach(out::println);
                String inserted = "";
                if (inserts) {
                    List<String> rows = result.insertLines().orElseThrow();
                    out.println("# inserts " + scenario.getKey());
                    rows.forEach(out::println);
                    inserted = ", " + rows.size() + " rule output rows";
                }
                out.flush();
                err.printf(Locale.ROOT, "fjr: %s: %s%s (Flink job %.1f s)%n", scenario.getKey(), result.summary(),
                        inserted, result.jobDuration().toMillis() / 1000.0);
            }
        }
        return 0;
    }

    private static NgsiLdData map(NgsiLdMapper mapper, Path model, Instant ingestionBase)
            throws InvalidInputException {
        try {
            return mapper.map(model, IngestionClock.sequence(ingestionBase));
        } catch (NgsiLdException e) {
            throw new InvalidInputException(e.getMessage() + hint(e), e);
        } catch (IOException e) {
            throw Inputs.fileError(model, e);
        }
    }

    private static String hint(NgsiLdException e) {
        return e.reason() == NgsiLdException.Reason.UNMAPPED_CONTEXT
                ? "; map it with --context-map " + e.url().orElse("URL") + "=FILE" : "";
    }
}
