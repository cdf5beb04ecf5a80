package io.flinkjobrunner.service.authoring;

import io.flinkjobrunner.service.config.AuthoringConfig;
import io.flinkjobrunner.authoring.AlertAuthoring;
import io.flinkjobrunner.authoring.AuthoringException;
import io.flinkjobrunner.authoring.LocalEngineVerdicts;
import io.flinkjobrunner.authoring.StreamVerdicts;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.service.engine.EmbeddedEngine;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.targets.validate.ModelReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.rdf4j.model.Model;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;

/**
 * Owns the alert-authoring use cases. With the stream verdict on, shape tests run as scenarios on the service's one
 * local engine ({@link EmbeddedEngine}: started with the first scenario, since most replicas never test a shape,
 * shared with the local deployments and the {@code simulate} target, a bounded number of scenarios at once).
 */
@ApplicationScoped
public class AuthoringEngine {

    private static final Logger LOG = Logger.getLogger(AuthoringEngine.class);

    @Inject
    AuthoringConfig config;
    @Inject
    ModelReader models;
    @Inject
    EmbeddedEngine embedded;

    private AlertAuthoring withStream;
    private AlertAuthoring withoutStream;

    /** Generation and parsing never need the engine. */
    public synchronized AlertAuthoring generation() {
        if (withoutStream == null) {
            withoutStream = new AlertAuthoring(models.offlineContexts(), null);
        }
        return withoutStream;
    }

    /** Shape tests: with the stream verdict if configured (the engine starts with the first scenario). */
    public synchronized AlertAuthoring testing() {
        if (!config.streamVerdict()) {
            return generation();
        }
        if (withStream == null) {
            withStream = new AlertAuthoring(models.offlineContexts(), new SharedEngineVerdicts());
        }
        return withStream;
    }

    /** The stream verdict as one scenario on the shared engine. */
    private final class SharedEngineVerdicts implements StreamVerdicts {

        @Override
        public Map<String, List<String>> alerts(Model shapes, NgsiLdData data, List<String> notes)
                throws AuthoringException {
            try {
                return embedded.scenario(() -> false, engine -> {
                    try {
                        return new LocalEngineVerdicts(engine, config.timeout()).alerts(shapes, data, notes);
                    } catch (AuthoringException e) {
                        throw new VerdictFailure(e);
                    }
                }).orElseThrow();
            } catch (VerdictFailure e) {
                throw e.failure;
            } catch (LocalEngineException e) {
                LOG.errorf("cannot start the local stream engine for alert tests: %s", e.getMessage());
                throw new ApiProblemException(Reason.SERVICE_UNAVAILABLE, "the local stream engine cannot start: "
                        + e.getMessage() + "; set runner.authoring.stream-verdict=false to test with ShaclSail only");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiProblemException(Reason.SERVICE_UNAVAILABLE, "interrupted while waiting for the local "
                        + "stream engine");
            }
        }
    }

    /** Carries a checked verdict failure through the scenario function. */
    private static final class VerdictFailure extends RuntimeException {
        private final AuthoringException failure;

        VerdictFailure(AuthoringException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}
