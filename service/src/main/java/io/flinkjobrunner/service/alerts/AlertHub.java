package io.flinkjobrunner.service.alerts;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.engine.EmbeddedEngine;
import io.flinkjobrunner.service.config.LocalConfig;
import io.flinkjobrunner.service.deploy.local.LocalDeploymentRemoved;
import io.flinkjobrunner.service.deploy.local.LocalTopics;
import io.flinkjobrunner.service.logs.SseFrames;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The alert streams of the deployments on the local engine: one {@link AlertFeed} per deployment, opened with its
 * first viewer or JSON request and kept until the deployment is undeployed, so the current set is always at hand and
 * any number of viewers share one Kafka consumer.
 */
@ApplicationScoped
public class AlertHub {

    private final EmbeddedEngine embedded;
    private final int retainedBytes;
    private final Vertx vertx;
    private final Map<String, AlertFeed> feeds = new ConcurrentHashMap<>();
    private final AtomicInteger viewers = new AtomicInteger();
    private final long heartbeatTimer;

    @Inject
    AlertHub(EmbeddedEngine embedded, LocalConfig config, RunnerConfig runner, Vertx vertx) {
        this.embedded = embedded;
        this.retainedBytes = config.alerts().retainedBytes();
        this.vertx = vertx;
        Buffer beat = Buffer.buffer(SseFrames.HEARTBEAT);
        this.heartbeatTimer = vertx.setPeriodic(runner.logs().heartbeat().toMillis(),
                id -> feeds.values().forEach(feed -> feed.heartbeat(beat)));
    }

    /**
     * Streams the alerts of {@code deployment} to an SSE response: the changes after {@code after} (a
     * {@code Last-Event-ID}), or the current set first when {@code after} is null, then every change live. Must be
     * called on the response's Vert.x context with the engine started and the deployment running.
     */
    public void subscribe(String deployment, Long after, HttpServerResponse response) {
        AlertFeed feed = feed(deployment);
        viewers.incrementAndGet();
        feed.subscribe(response, vertx.getOrCreateContext(), after, viewer -> viewers.decrementAndGet());
    }

    /**
     * The current alerts of {@code deployment} (JSON objects) and the id of the last record read.
     *
     * @throws IllegalStateException if the topic cannot be read within {@code timeout}
     */
    public AlertSet current(String deployment, Duration timeout) throws InterruptedException {
        AlertFeed.Snapshot snapshot = feed(deployment).snapshot(timeout);
        return new AlertSet(snapshot.alerts(), snapshot.lastEventId());
    }

    /**
     * The current alert set of a deployment.
     *
     * @param alerts the alerts as JSON objects, in the order of their last change
     * @param lastEventId offset of the last record read (-1: none); an SSE stream resumed from it continues exactly
     *     after this set
     */
    public record AlertSet(List<String> alerts, long lastEventId) {
    }

    /** Ends the streams of a deployment that is being undeployed and stops reading its topic. */
    void deploymentRemoved(@Observes LocalDeploymentRemoved removed) {
        close(removed.deployment());
    }

    /** Ends the streams of {@code deployment} (it is being undeployed) and stops reading its topic. */
    private void close(String deployment) {
        AlertFeed feed = feeds.remove(deployment);
        if (feed != null) {
            feed.close("UNDEPLOYED");
        }
    }

    /** Number of open alert streams on this replica. */
    public int viewers() {
        return viewers.get();
    }

    private AlertFeed feed(String deployment) {
        return feeds.computeIfAbsent(deployment, name -> {
            AlertFeed feed = new AlertFeed(name, LocalTopics.of(name).alertsBulk(),
                    embedded.engine().bootstrapServers(), retainedBytes, failed -> {
                        feeds.remove(failed.deployment(), failed);
                        failed.close("UNAVAILABLE");
                    });
            feed.start();
            return feed;
        });
    }

    /** Before the engine stops: ends every stream. */
    void stop(@Observes @Priority(15) ShutdownEvent event) {
        vertx.cancelTimer(heartbeatTimer);
        for (String deployment : List.copyOf(feeds.keySet())) {
            AlertFeed feed = feeds.remove(deployment);
            if (feed != null) {
                feed.close("SHUTDOWN");
            }
        }
    }
}
