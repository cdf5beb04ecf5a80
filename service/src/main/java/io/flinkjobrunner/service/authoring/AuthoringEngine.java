package io.flinkjobrunner.service.authoring;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.flinkjobrunner.authoring.AlertAuthoring;
import io.flinkjobrunner.authoring.LocalEngineVerdicts;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.jobs.JobServiceException;
import io.flinkjobrunner.service.jobs.Reason;

/**
 * Owns the alert-authoring use cases and, when the stream verdict is on, the local engine they run scenarios on. The
 * engine starts with the first shape test (an in-process Kafka broker takes seconds to start and most replicas never
 * test a shape) and stops with the application.
 */
@ApplicationScoped
public class AuthoringEngine {

    private static final Logger LOG = Logger.getLogger(AuthoringEngine.class);

    @Inject
    AuthoringConfig config;
    @Inject
    RunnerConfig runner;

    private LocalEngine engine;
    private AlertAuthoring withStream;
    private AlertAuthoring withoutStream;

    /** Generation and parsing never need the engine. */
    public synchronized AlertAuthoring generation() {
        if (withoutStream == null) {
            withoutStream = new AlertAuthoring(contexts(), null);
        }
        return withoutStream;
    }

    /** The offline JSON-LD contexts of {@code runner.ngsild.contexts}, as the validate target uses them. */
    private NgsiLdContexts contexts() {
        Map<String, Path> mappings = new LinkedHashMap<>();
        runner.ngsild().contexts().forEach((url, file) -> mappings.put(url, Path.of(file)));
        return NgsiLdContexts.withMappings(mappings);
    }

    /** Shape tests: with the stream verdict if configured (starting the engine on first use). */
    public synchronized AlertAuthoring testing() {
        if (!config.streamVerdict()) {
            return generation();
        }
        if (withStream == null) {
            Instant started = Instant.now();
            try {
                engine = LocalEngine.start();
            } catch (LocalEngineException e) {
                LOG.errorf("cannot start the local stream engine for alert tests: %s", e.getMessage());
                throw new JobServiceException(Reason.SERVICE_UNAVAILABLE, "the local stream engine cannot start: "
                        + e.getMessage() + "; set runner.authoring.stream-verdict=false to test with ShaclSail only");
            }
            LOG.infof("local stream engine for alert tests started in %d ms (Kafka at %s)",
                    java.time.Duration.between(started, Instant.now()).toMillis(), engine.bootstrapServers());
            withStream = new AlertAuthoring(contexts(), new LocalEngineVerdicts(engine, config.timeout()));
        }
        return withStream;
    }

    @PreDestroy
    synchronized void stop() {
        if (engine != null) {
            engine.close();
            engine = null;
            withStream = null;
        }
    }
}
