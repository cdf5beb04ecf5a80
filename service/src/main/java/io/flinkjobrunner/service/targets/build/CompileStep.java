package io.flinkjobrunner.service.targets.build;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.CoverageReport;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.DeploymentUnitReader;
import io.flinkjobrunner.compiler.DeploymentUnitWriter;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.service.targets.RestorableStep;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.service.targets.UnitKeys;
import io.flinkjobrunner.service.targets.validate.ValidateKeys;
import org.eclipse.rdf4j.model.Model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the parsed knowledge and shapes into one deployment unit with the options the deploy target put (the
 * deployment's topics and Kafka) and the configured buffer timeout and settle window, stores the unit's files as artifacts and hands
 * the unit to the later steps.
 *
 * <p>The artifacts are the files {@code fjr compile -o DIR} writes ({@link DeploymentUnitWriter#FILES}), a
 * {@code /} of their path becoming a {@code .}: {@code unit.sql}, {@code semantic-data.rdf.json},
 * {@code semantic-data.constraint_table.json}, {@code semantic-data.constraint_combination_table.json},
 * {@code semantic-data.records.jsonl}, {@code coverage.json} (the unit's report, replacing the coverage step's) and
 * {@code coverage.txt}. Each is rendered into the job's workspace and streamed from there into the store, one at a
 * time, so the job's heap holds the unit but never a rendered copy of it.
 *
 * <p>Restorable: an attempt after a lost one reads the unit back from these artifacts ({@link DeploymentUnitReader})
 * instead of compiling again, so a resumed deploy applies exactly the unit the lost attempt began to apply.
 */
final class CompileStep implements RestorableStep {

    /** The artifact of the script, which a restored unit is checked against. */
    private static final String SCRIPT = artifactName("unit.sql");

    private final Duration bufferTimeout;
    private final Duration settleWindow;

    /**
     * @param bufferTimeout the job's {@code execution.buffer-timeout} ({@code runner.deploy.flink.buffer-timeout})
     * @param settleWindow the alerts' settle window ({@code runner.deploy.flink.settle-window})
     */
    CompileStep(Duration bufferTimeout, Duration settleWindow) {
        this.bufferTimeout = bufferTimeout;
        this.settleWindow = settleWindow;
    }

    @Override
    public String name() {
        return "compile";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(ValidateKeys.KNOWLEDGE, ValidateKeys.SHAPES);
    }

    @Override
    public Set<StepKey<?>> provides() {
        return Set.of(UnitKeys.UNIT);
    }

    @Override
    public void run(StepContext context) throws StepFailedException, IOException {
        CompileOptions options;
        try {
            options = UnitKeys.compileOptions(context).withBufferTimeout(bufferTimeout).withSettleWindow(settleWindow);
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("runner.deploy.flink: " + e.getMessage(), e);
        }
        long started = System.nanoTime();
        DeploymentUnit unit;
        try {
            ShaclCompiler compiler = new ShaclCompiler();
            Model knowledge = context.require(ValidateKeys.KNOWLEDGE).model();
            Model shapes = context.require(ValidateKeys.SHAPES).model();
            Optional<ShaclCompiler.ReadShapes> read = context.get(ValidateKeys.READ_SHAPES);
            // the coverage step has read the shapes already
            unit = read.isPresent() ? compiler.assemble(read.get(), knowledge, shapes, options)
                    : compiler.assemble(knowledge, shapes, options);
        } catch (CompilationException e) {
            throw new StepFailedException(e.getMessage(), e);
        }
        long compiled = System.nanoTime();
        Path spool = Files.createDirectories(context.workspace().resolve("unit"));
        DeploymentUnitWriter.write(unit, (file, content) -> {
            context.checkCancelled();
            String name = artifactName(file.path());
            Path rendered = spool.resolve(name);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(rendered), 1 << 16)) {
                content.writeTo(out);
            }
            context.artifacts().put(name, file.mediaType(), rendered);
            Files.delete(rendered);
        });
        context.put(UnitKeys.UNIT, unit);
        int rows = unit.semanticData().stream().mapToInt(t -> t.rows().size()).sum();
        context.log().info("Compiled " + unit.coverage().withStatus(CoverageReport.Status.COMPILED).size()
                + " shape components into one Flink job (" + unit.statements().size() + " statements) and " + rows
                + " semantic rows (" + unit.table("rdf").rows().size() + " of them knowledge) in "
                + (compiled - started) / 1_000_000 + " ms, stored the unit's files in "
                + (System.nanoTime() - compiled) / 1_000_000 + " ms; topics " + options.topics().entities() + ", "
                + options.topics().alertsBulk() + ", …");
    }

    /** The unit's files the reader reads, and the script it is checked against. */
    @Override
    public Set<String> restoredFrom() {
        Set<String> names = new HashSet<>(List.of(SCRIPT));
        DeploymentUnitReader.READS.forEach(file -> names.add(artifactName(file.path())));
        return names;
    }

    @Override
    public void restore(StepContext context) throws StepFailedException, IOException {
        long started = System.nanoTime();
        Path spool = Files.createDirectories(context.workspace().resolve("unit-restored"));
        DeploymentUnit unit;
        try {
            unit = DeploymentUnitReader.read(file -> {
                Path copy = spool.resolve(artifactName(file.path()));
                if (!context.copyStoredArtifact(artifactName(file.path()), copy)) {
                    throw new NoSuchFileException(artifactName(file.path()), null, "no such artifact");
                }
                return Files.newInputStream(copy);
            });
            Path script = spool.resolve(SCRIPT);
            if (!context.copyStoredArtifact(SCRIPT, script)
                    || !Files.readString(script, StandardCharsets.UTF_8).equals(unit.script())) {
                throw new IOException("the stored unit.sql is not the script of the stored statements");
            }
        } catch (IOException e) {
            throw new StepFailedException("the unit an earlier attempt compiled cannot be restored from its artifacts ("
                    + e.getMessage() + "); submit the job again", e);
        }
        context.put(UnitKeys.UNIT, unit);
        context.log().info("Restored the unit an earlier attempt compiled from its stored files ("
                + unit.statements().size() + " statements, "
                + unit.semanticData().stream().mapToInt(t -> t.rows().size()).sum() + " semantic rows) in "
                + (System.nanoTime() - started) / 1_000_000 + " ms, instead of compiling again");
    }

    /** The artifact name of a unit file: artifact names are plain file names. */
    static String artifactName(String path) {
        return path.replace('/', '.');
    }
}
