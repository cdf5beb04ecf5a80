package io.flinkjobrunner.simulation;

import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.SqlIdentifiers;
import io.flinkjobrunner.compiler.UnitStatement;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.engine.Simulation;
import io.flinkjobrunner.engine.SimulationRequest;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.sparql.RuleOutputLines;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One NGSI-LD model run through a compiled unit on the local engine as an independent scenario: the unit's semantic
 * data and the model's rows are published to fresh topics (the unit's topics with {@code topicPrefix}), the unit's
 * exact script runs bounded on them (topic renames at run time, no SQL edited), and the final alert set (and, with
 * {@code inserts}, the rule output) is read back. {@code fjr simulate} runs one per {@code --model}; the service's
 * {@code simulate} target runs one for {@code urls.model}.
 *
 * @param unit the compiled unit (any topics: the run renames them)
 * @param model the model's rows, already restricted to the entities to feed
 * @param topicPrefix prepended to every topic of the unit; must give topics no other scenario uses
 * @param inserts whether to read back the rule output ({@code attributes_insert}) too
 * @param timeout how long the Flink job may run before it is cancelled
 */
public record ModelScenario(DeploymentUnit unit, NgsiLdData model, String topicPrefix, boolean inserts,
        Duration timeout) {

    public ModelScenario {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** The topics this scenario runs on. */
    public Topics topics() {
        return unit.topics().withPrefix(topicPrefix);
    }

    /** True if the unit has rules ({@code sh:rule}) that write inferred attributes to {@code attributes_insert}. */
    public static boolean infersAttributes(DeploymentUnit unit) {
        String insert = "INSERT INTO " + SqlIdentifiers.quote(unit.tables().attributesInsert());
        return unit.statements(UnitStatement.Kind.INSERT).stream().anyMatch(s -> s.sql().startsWith(insert));
    }

    /**
     * Runs the scenario on {@code engine} and deletes its topics afterwards (also when the run fails).
     *
     * @param stop polled while the job runs; when it returns true the job is cancelled ({@code CANCELLED})
     * @throws LocalEngineException when the engine or the Flink job fails, times out or is stopped
     */
    public ModelScenarioResult run(LocalEngine engine, BooleanSupplier stop) {
        Topics topics = topics();
        List<TopicRecord> records = new ArrayList<>(unit.records(topics));
        records.addAll(model.toTopicRecords(topics));
        List<String> readBack = inserts ? List.of(topics.alertsBulk(), topics.attributesInsert())
                : List.of(topics.alertsBulk());
        Simulation simulation;
        try {
            simulation = engine.simulate(new SimulationRequest(unit.script(), topics.all(), records, readBack,
                    timeout, unit.topics().renamesTo(topics)), stop);
        } catch (LocalEngineException e) {
            deleteTopics(engine, topics, e);
            throw e;
        }
        deleteTopics(engine, topics, null);
        Collection<String> alerts = simulation.materialized(topics.alertsBulk()).values();
        Optional<List<String>> inserted = inserts
                ? Optional.of(RuleOutputLines.of(simulation.materialized(topics.attributesInsert()).values()))
                : Optional.empty();
        return new ModelScenarioResult(AlertLines.of(alerts), AlertLines.severities(alerts), inserted,
                simulation.jobDuration());
    }

    private static void deleteTopics(LocalEngine engine, Topics topics, LocalEngineException failure) {
        try {
            engine.deleteTopics(topics.all());
        } catch (LocalEngineException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }
}
