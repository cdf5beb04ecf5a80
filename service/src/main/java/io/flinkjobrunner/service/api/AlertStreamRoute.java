package io.flinkjobrunner.service.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.service.alerts.AlertHub;
import io.flinkjobrunner.service.auth.AccessGuard;
import io.flinkjobrunner.service.auth.Role;
import io.flinkjobrunner.service.deploy.local.EntityService;
import io.flinkjobrunner.service.logs.SseFrames;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.store.StoreException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * {@code GET /deployments/{name}/alerts} of a deployment running on the local engine. With
 * {@code Accept: text/event-stream}: the alert stream ({@code id:} = Kafka offset, {@code Last-Event-ID} or
 * {@code ?after=N} resumes, see {@code AlertFeed}); otherwise the current alert set as JSON
 * {@code {"deployment", "lastEventId", "alerts": [...]}}. A plain Vert.x route, like the job log stream, so live
 * events are written to every viewer as one shared buffer; documented in {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class AlertStreamRoute {

    private static final Logger LOG = Logger.getLogger(AlertStreamRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    AlertHub hub;
    @Inject
    EntityService entities;
    @Inject
    AccessGuard access;
    @Inject
    Vertx vertx;

    void install(@Observes Router router) {
        router.get("/deployments/:name/alerts").order(-10).handler(this::alerts);
    }

    private void alerts(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Long after;
        try {
            after = position(ctx);
        } catch (ApiProblemException e) {
            LogStreamRoute.problem(ctx, e);
            return;
        }
        String accept = ctx.request().getHeader("Accept");
        boolean sse = accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
        access.require(ctx, Role.READ).subscribe().with(ok -> vertx.executeBlocking(() -> {
            entities.requireRunning(name);
            return sse ? null : hub.current(name, SNAPSHOT_TIMEOUT);
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                LogStreamRoute.problem(ctx, refusal(ar.cause()));
            } else if (sse) {
                stream(ctx, name, after);
            } else {
                json(ctx, name, ar.result());
            }
        }), failure -> LogStreamRoute.problem(ctx, failure));
    }

    private void stream(RoutingContext ctx, String name, Long after) {
        HttpServerResponse r = ctx.response();
        r.setChunked(true);
        r.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        r.putHeader("Cache-Control", "no-cache");
        r.putHeader("X-Accel-Buffering", "no");
        hub.subscribe(name, after, r);
    }

    private static void json(RoutingContext ctx, String name, AlertHub.AlertSet set) {
        ObjectNode body = JSON.createObjectNode();
        body.put("deployment", name);
        if (set.lastEventId() >= 0) {
            body.put("lastEventId", set.lastEventId());
        } else {
            body.putNull("lastEventId");
        }
        ArrayNode alerts = body.putArray("alerts");
        try {
            for (String alert : set.alerts()) {
                alerts.add(JSON.readTree(alert));
            }
        } catch (IOException e) {
            LogStreamRoute.problem(ctx, new ApiProblemException(Reason.INTERNAL_ERROR, "an alert record is not JSON"));
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json").end(body.toString());
    }

    private static Long position(RoutingContext ctx) {
        return SseFrames.resumeAfter(ctx.request().getHeader("Last-Event-ID"), ctx.request().getParam("after"),
                "an alert event id");
    }

    private static Throwable refusal(Throwable failure) {
        if (failure instanceof ApiProblemException) {
            return failure;
        }
        if (failure instanceof StoreException) {
            return new ApiProblemException(Reason.SERVICE_UNAVAILABLE, "the job database is not reachable; retry "
                    + "later");
        }
        LOG.warnf("alert request failed: %s", failure.getMessage());
        return new ApiProblemException(Reason.SERVICE_UNAVAILABLE, "the alerts cannot be read right now: "
                + failure.getMessage());
    }
}
