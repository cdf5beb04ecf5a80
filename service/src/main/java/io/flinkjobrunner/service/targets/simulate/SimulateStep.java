package io.flinkjobrunner.service.targets.simulate;

import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.service.engine.EmbeddedEngine;
import io.flinkjobrunner.service.config.LocalConfig;
import io.flinkjobrunner.service.targets.InputFile;
import io.flinkjobrunner.service.targets.JobCancelledException;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.service.targets.UnitKeys;
import io.flinkjobrunner.service.targets.validate.ModelReader;
import io.flinkjobrunner.service.targets.validate.ValidateKeys;
import io.flinkjobrunner.simulation.ModelScenario;
import io.flinkjobrunner.simulation.ModelScenarioResult;
import io.flinkjobrunner.simulation.ReferenceEntityUniverse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.rdf4j.model.Model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the job's model through the compiled unit as one {@link ModelScenario} on the shared local engine, exactly as
 * {@code fjr simulate} runs one model: the same entity selection (entities whose type is a target class of a node
 * shape with properties, or a subclass of one, as in the reference's tests), the unit's exact SQL on fresh topics,
 * the final alert set in the reference's {@code *_result} format.
 */
@ApplicationScoped
public class SimulateStep implements Step {

    /** Artifact names. */
    public static final String ALERTS = "alerts.csv";
    public static final String INSERTS = "inserts.csv";

    @Inject
    ModelReader models;
    @Inject
    EmbeddedEngine embedded;
    @Inject
    LocalConfig config;

    @Override
    public String name() {
        return "simulate";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(ValidateKeys.INPUTS, ValidateKeys.KNOWLEDGE, ValidateKeys.SHAPES, UnitKeys.UNIT);
    }

    @Override
    public void run(StepContext ctx) throws StepFailedException, InterruptedException {
        InputFile input = ctx.require(ValidateKeys.INPUTS).find("model").orElse(null);
        if (input == null) {
            throw new StepFailedException("simulate needs a model: urls.model names none");
        }
        NgsiLdData model = models.read(input,
                IngestionClock.sequence(Instant.now().truncatedTo(ChronoUnit.MILLIS)), ctx.log());
        Model knowledge = ctx.require(ValidateKeys.KNOWLEDGE).model();
        Model shapes = ctx.require(ValidateKeys.SHAPES).model();
        boolean restricted = ReferenceEntityUniverse.restricts(shapes);
        NgsiLdData fed = restricted ? model.withEntityTypes(ReferenceEntityUniverse.of(knowledge, shapes)) : model;
        ctx.log().info("Mapped " + ValidateKeys.MODEL_FILE + ": " + model.entities().size() + " entities, "
                + model.attributes().size() + " attributes; feeding " + fed.entities().size() + " entities and "
                + fed.attributes().size() + " attributes (" + (restricted
                        ? "types targeted by a node shape with properties, as in the reference's tests)"
                        : "every entity: the shapes reach beyond the entities the reference's tests feed)"));
        ctx.checkCancelled();

        DeploymentUnit unit = ctx.require(UnitKeys.UNIT);
        boolean inserts = ModelScenario.infersAttributes(unit);
        ModelScenario scenario = new ModelScenario(unit, fed, LocalEngine.scenarioPrefix(ctx.jobId()), inserts,
                config.scenarios().timeout());
        if (embedded.started().isEmpty()) {
            ctx.log().info("Starting the local engine (in-process Kafka and Flink MiniCluster)");
        } else if (embedded.scenarioSlotsBusy()) {
            ctx.log().info("Waiting for a free scenario slot (" + embedded.scenarioConcurrency()
                    + " scenarios run at once: runner.local.scenarios.concurrency)");
        }
        Optional<ModelScenarioResult> ran;
        try {
            ran = embedded.scenario(ctx::cancelRequested, engine -> {
                ctx.log().info("Running the unit over the model on topics " + scenario.topics().entities()
                        + ", … (Kafka " + engine.bootstrapServers() + ")");
                return scenario.run(engine, ctx::cancelRequested);
            });
        } catch (LocalEngineException e) {
            if (e.reason() == LocalEngineException.Reason.CANCELLED) {
                throw new JobCancelledException();
            }
            throw new StepFailedException("the simulation failed: " + e.getMessage()
                    + (e.reason() == LocalEngineException.Reason.TIMEOUT
                            ? "; runner.local.scenarios.timeout sets how long a scenario may run" : ""), e);
        }
        ModelScenarioResult result = ran.orElseThrow(JobCancelledException::new);

        ctx.artifacts().put(ALERTS, "text/csv", lines(result.alertLines()));
        result.alertLines().forEach(ctx.log()::info);
        ctx.log().info("Final alerts: " + result.summary() + " (Flink job " + result.jobDuration().toMillis()
                + " ms); stored as " + ALERTS);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("alerts", result.alertLines().size());
        fields.put("severities", result.severities());
        fields.put("jobMillis", result.jobDuration().toMillis());
        if (result.insertLines().isPresent()) {
            List<String> rows = result.insertLines().get();
            ctx.artifacts().put(INSERTS, "text/csv", lines(rows));
            ctx.log().info("Rule output: " + rows.size() + " inferred attribute row" + (rows.size() == 1 ? "" : "s")
                    + "; stored as " + INSERTS);
            fields.put("inferredAttributes", rows.size());
        }
        ctx.status("simulation", fields);
    }

    private static byte[] lines(List<String> lines) {
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append(line).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
