package io.flinkjobrunner.cli;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.CoverageReport;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.DeploymentUnitWriter;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.planner.AcceptedUnits;
import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.shacl.ShapesGraphChecker;
import io.flinkjobrunner.shacl.ShapesGraphProblem;
import io.flinkjobrunner.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import org.eclipse.rdf4j.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fjr compile}: writes the deployment unit and the coverage report. */
@Command(name = "compile", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Compile SHACL shapes over a knowledge graph into a Flink SQL deployment unit.",
        footer = {"", "Writes to the output directory:",
            "  unit.sql                          the Flink SQL script (one EXECUTE STATEMENT SET: one job)",
            "  semantic-data/<table>.json        the rdf / constraint tables (columns, primary key, rows)",
            "  semantic-data/records.jsonl       the same rows as Kafka records {topic, key, value}",
            "  coverage.txt, coverage.json       every shape component: compiled, ignored, rejected or deactivated",
            "  unit.json                         the statements, topics and table prefix (reads back into the unit)"})
final class CompileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KnowledgeAndShapes inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "fjr-unit",
            description = "output directory (default: ${DEFAULT-VALUE})")
    private Path output;

    @Option(names = "--deployment", paramLabel = "NAME", defaultValue = "shacl",
            description = "deployment name; its semantic-data topics are fjr.NAME.* (default: ${DEFAULT-VALUE})")
    private String deployment;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "my-cluster-kafka-bootstrap:9092",
            description = "Kafka bootstrap servers written into the tables (default: ${DEFAULT-VALUE})")
    private String bootstrapServers;

    @Option(names = "--buffer-timeout-ms", paramLabel = "MS", defaultValue = "0",
            description = "longest a network buffer inside the job waits before it is sent (execution.buffer-timeout):"
                    + " lower answers faster, higher processes more per second; 0 sends every record at once;"
                    + " Flink's own default is 100 (default: ${DEFAULT-VALUE})")
    private long bufferTimeoutMs;

    @Option(names = "--settle-window-ms", paramLabel = "MS", defaultValue = "50",
            description = "how long a change of an alert waits for its own reversal before it is published to the"
                    + " alerts topic; 0 publishes every change at once (default: ${DEFAULT-VALUE})")
    private long settleWindowMs;

    @Option(names = "--planner-cache", paramLabel = "DIR",
            description = "where units Flink's planner accepted are remembered, so that a compile of the same SQL"
                    + " (the shapes changed, the SQL did not) skips the planner check (default: $FJR_CACHE_DIR,"
                    + " else $XDG_CACHE_HOME/fjr, else ~/.cache/fjr; planner-checks/ in it)")
    private Path plannerCache;

    @Option(names = "--no-planner-cache", description = "plan the unit even if this planner accepted it before,"
            + " and remember nothing")
    private boolean noPlannerCache;

    @Option(names = "--timings", description = "print the time of each step on stderr (benchmarks)")
    private boolean timings;

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** --planner-cache, else $FJR_CACHE_DIR, else $XDG_CACHE_HOME/fjr, else ~/.cache/fjr (the XDG default). */
    private Path plannerCacheDirectory() {
        if (plannerCache != null) {
            return plannerCache;
        }
        String fjr = System.getenv("FJR_CACHE_DIR");
        if (fjr != null && !fjr.isBlank()) {
            return Path.of(fjr);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("fjr");
    }

    @Override
    public Integer call() throws InvalidInputException {
        if (bufferTimeoutMs < 0) {
            throw new InvalidInputException("--buffer-timeout-ms " + bufferTimeoutMs + ": must not be negative", null);
        }
        if (settleWindowMs < 0) {
            throw new InvalidInputException("--settle-window-ms " + settleWindowMs + ": must not be negative", null);
        }
        Topics topics;
        try {
            topics = Topics.defaults(deployment);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--deployment " + deployment + ": " + e.getMessage(), e);
        }
        CompileOptions options = new CompileOptions(topics, bootstrapServers, TableNames.reference(),
                Duration.ofMillis(bufferTimeoutMs), Duration.ofMillis(settleWindowMs));
        long started = System.nanoTime();
        Optional<AcceptedUnits> accepted = noPlannerCache ? Optional.empty()
                : Optional.of(new AcceptedUnits(plannerCacheDirectory().resolve("planner-checks")));
        PrintWriter err = spec.commandLine().getErr();
        // the knowledge is read on a thread of its own while this one reads the shapes; once the shapes are read, the
        // shapes-graph check starts on a thread of its own, and the planner check of the unit's statements starts on
        // another as soon as the compile knows them (Inputs.assembleCheckingEarly): a cold JVM's first planning is the
        // longest part of a compile
        FutureTask<Model> knowledgeReader = Inputs.start("read-knowledge", () -> Inputs.turtle(inputs.knowledge));
        Model shapes = null;
        FutureTask<List<ShapesGraphProblem>> shapesCheck = null;
        InvalidInputException shapesError = null;
        try {
            RdfDocument document = Inputs.document(inputs.shacl);
            // shared read-only by the compile and the shapes-graph check; unmodifiable, so neither can change it under
            // the other
            shapes = document.model().unmodifiable();
            RdfDocument shared = new RdfDocument(document.fileName(), shapes, document.subjectPositions());
            shapesCheck = Inputs.start("check-shapes", () -> ShapesGraphChecker.check(shared));
        } catch (InvalidInputException e) {
            shapesError = e;
        }
        long shapesRead = System.nanoTime();
        // a broken knowledge graph is reported first
        Model knowledge = Inputs.await(knowledgeReader, "reading " + inputs.knowledge);
        if (shapesError != null) {
            throw shapesError;
        }
        long knowledgeRead = System.nanoTime();
        DeploymentUnit unit;
        try {
            unit = Inputs.assembleCheckingEarly(knowledge, shapes, inputs.shacl, options, accepted);
        } catch (InvalidInputException | RuntimeException e) {
            // the compiler reads shapes as well-formed SHACL: a graph that is not explains the failure better
            Inputs.wellFormed(Inputs.await(shapesCheck, "checking " + inputs.shacl), inputs.shacl, err);
            throw e;
        }
        long assembled = System.nanoTime();
        long written;
        long shapesChecked;
        try (StagedDirectory staged = StagedDirectory.beside(output)) {
            // written while both checks finish; moved into place only once both passed
            DeploymentUnitWriter.write(unit, staged.path());
            written = System.nanoTime();
            Inputs.wellFormed(Inputs.await(shapesCheck, "checking " + inputs.shacl), inputs.shacl, err);
            shapesChecked = System.nanoTime();
            Inputs.check(unit, inputs.shacl, accepted);
            staged.commit();
        } catch (IOException e) {
            throw Inputs.fileError(output, e);
        }
        long checked = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        out.println(unit.coverage().countsLine());
        out.println("wrote " + output.resolve("unit.sql") + ", " + output.resolve("semantic-data") + " ("
                + unit.semanticData().stream().mapToInt(t -> t.rows().size()).sum() + " records), "
                + output.resolve("coverage.txt") + ", " + output.resolve("coverage.json"));
        if (timings) {
            // steps of this thread, one after the other: the knowledge line is the wait for its reader after the
            // shapes were read, and the two checks the waits for them after the unit was written
            err.printf("fjr: timings: read knowledge %d ms (%d triples), read shapes %d ms (%d triples), compile %d "
                    + "ms, write %d ms, check shapes %d ms, planner check %d ms%n",
                    ms(knowledgeRead - shapesRead), knowledge.size(), ms(shapesRead - started), shapes.size(),
                    ms(assembled - knowledgeRead), ms(written - assembled), ms(shapesChecked - written),
                    ms(checked - shapesChecked));
            err.flush();
        }
        out.flush();
        if (!unit.coverage().complete()) {
            spec.commandLine().getErr().println("fjr: warning: "
                    + unit.coverage().withStatus(CoverageReport.Status.REJECTED).size()
                    + " shape components were rejected and are not validated (see coverage.txt)");
        }
        return 0;
    }
}
