package io.flinkjobrunner.authoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.CoverageReport;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.engine.Simulation;
import io.flinkjobrunner.engine.SimulationRequest;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;

/**
 * The stream verdict: compiles the shapes with the production compiler and runs the unit on the local engine over the
 * scenario entities, all scenarios in one bounded job. Each call uses fresh topics
 * ({@link LocalEngine#scenarioPrefix}), deleted afterwards, so calls never see each other's data and may run
 * concurrently on one engine.
 */
public final class LocalEngineVerdicts implements StreamVerdicts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalEngine engine;
    private final Duration timeout;

    /** Uses {@code engine} (owned by the caller) and gives each job at most {@code timeout}. */
    public LocalEngineVerdicts(LocalEngine engine, Duration timeout) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Map<String, List<String>> alerts(Model shapes, NgsiLdData data, List<String> notes)
            throws AuthoringException {
        Topics topics = Topics.defaults("authoring").withPrefix(LocalEngine.scenarioPrefix("authoring"));
        DeploymentUnit unit;
        try {
            unit = new ShaclCompiler().assemble(new LinkedHashModel(), shapes,
                    new CompileOptions(topics, engine.bootstrapServers(), TableNames.reference()));
        } catch (CompilationException e) {
            throw new AuthoringException(AuthoringException.Reason.ENGINE_FAILED,
                    "the stream compiler cannot compile the shape: " + e.getMessage(), e);
        }
        for (CoverageReport.Entry rejected : unit.coverage().withStatus(CoverageReport.Status.REJECTED)) {
            notes.add("the stream compiler does not support " + rejected.component() + " in " + rejected.shape()
                    + (rejected.reason().isEmpty() ? "" : ": " + rejected.reason()));
        }
        List<TopicRecord> records = new ArrayList<>(unit.records(topics));
        records.addAll(data.toTopicRecords(topics));
        Simulation simulation;
        try {
            simulation = engine.simulate(new SimulationRequest(unit.script(), topics.all(), records,
                    List.of(topics.alertsBulk()), timeout));
        } catch (LocalEngineException e) {
            throw new AuthoringException(AuthoringException.Reason.ENGINE_FAILED,
                    "the stream job could not run the scenarios: " + e.getMessage(), e);
        } finally {
            deleteQuietly(topics);
        }
        Map<String, List<String>> alerts = new LinkedHashMap<>();
        for (String value : simulation.materialized(topics.alertsBulk()).values()) {
            JsonNode alert = parse(value);
            String severity = alert.path("severity").asText("");
            if (!severity.isEmpty() && !severity.equalsIgnoreCase("ok")) {
                alerts.computeIfAbsent(alert.path("resource").asText(), k -> new ArrayList<>())
                        .add(alert.path("text").asText(""));
            }
        }
        return alerts;
    }

    /** The topics are scratch: a failed delete leaves them for {@link LocalEngine#deleteScenarioTopics}. */
    private void deleteQuietly(Topics topics) {
        try {
            engine.deleteTopics(topics.all());
        } catch (LocalEngineException e) {
            // the verdict stands; the next start of a persistent engine removes what is left
        }
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert on the alerts topic is not JSON: " + value, e);
        }
    }
}
