package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.auth.AccessGuard;
import io.flinkjobrunner.service.auth.Role;
import io.flinkjobrunner.service.jobs.JobService;
import io.flinkjobrunner.service.logs.LogHub;
import io.flinkjobrunner.service.logs.SseFrames;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.store.EventStore;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.store.StoreException;
import io.flinkjobrunner.service.store.StoredEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code GET /jobs/{id}/logs}. With {@code Accept: text/event-stream}: replay after {@code Last-Event-ID} (or
 * {@code ?after=N}), then the live tail, heartbeats, and a final {@code done} event. Otherwise the whole log as
 * {@code text/plain}, as the reference serves it. A plain Vert.x route so that live batches are written as shared
 * buffers; documented in the OpenAPI through {@code META-INF/openapi.yaml}. Also installs the problem+json answers for
 * requests no route handles.
 */
@ApplicationScoped
public class LogStreamRoute {

    private static final Logger LOG = Logger.getLogger(LogStreamRoute.class);
    private static final int PAGE = 2000;

    @Inject
    LogHub hub;
    @Inject
    JobRepository jobs;
    @Inject
    AccessGuard access;
    @Inject
    Vertx vertx;

    void install(@Observes Router router) {
        router.get("/jobs/:id/logs").order(-10).handler(this::logs);
        router.errorHandler(404, ctx -> problem(ctx, new ApiProblemException(Reason.NOT_FOUND,
                "no resource at " + ctx.request().path())));
        router.errorHandler(405, ctx -> problem(ctx, new ApiProblemException(Reason.METHOD_NOT_ALLOWED,
                "method " + ctx.request().method() + " not allowed on " + ctx.request().path())));
        router.errorHandler(413, ctx -> problem(ctx, new ApiProblemException(Reason.REQUEST_TOO_LARGE,
                "request body too large")));
        router.errorHandler(500, ctx -> {
            if (ctx.failure() != null) {
                LOG.error("request failed", ctx.failure());
            }
            problem(ctx, new ApiProblemException(Reason.INTERNAL_ERROR, "internal error; the server log has the details"));
        });
    }

    private void logs(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        long after;
        try {
            after = position(ctx);
        } catch (ApiProblemException e) {
            problem(ctx, e);
            return;
        }
        String accept = ctx.request().getHeader("Accept");
        boolean sse = accept != null && accept.toLowerCase().contains("text/event-stream");
        access.require(ctx, Role.READ)
                .subscribe().with(ok -> vertx.executeBlocking(() -> jobs.find(id).isPresent(), false)
                                .onComplete(ar -> {
                                    if (ar.failed()) {
                                        problem(ctx, unavailable(ar.cause()));
                                    } else if (!ar.result()) {
                                        problem(ctx, JobService.notFound(id));
                                    } else if (sse) {
                                        stream(ctx, id, after);
                                    } else {
                                        plain(ctx, id, after);
                                    }
                                }),
                        failure -> problem(ctx, failure));
    }

    private void stream(RoutingContext ctx, String id, long after) {
        HttpServerResponse r = ctx.response();
        r.setChunked(true);
        r.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        r.putHeader("Cache-Control", "no-cache");
        r.putHeader("X-Accel-Buffering", "no");
        hub.subscribe(id, after, r);
    }

    private void plain(RoutingContext ctx, String id, long after) {
        HttpServerResponse r = ctx.response();
        r.setChunked(true);
        r.putHeader("Content-Type", "text/plain; charset=utf-8");
        writePage(ctx, r, id, after);
    }

    private void writePage(RoutingContext ctx, HttpServerResponse r, String id, long after) {
        vertx.executeBlocking(() -> {
            try (Connection c = jobs.connection()) {
                return EventStore.readAfter(c, id, after, PAGE);
            }
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                if (!r.headWritten()) {
                    problem(ctx, unavailable(ar.cause()));
                } else {
                    r.reset();
                }
                return;
            }
            List<StoredEvent> events = ar.result();
            StringBuilder sb = new StringBuilder();
            for (StoredEvent e : events) {
                sb.append(SseFrames.plainLine(e)).append('\n');
            }
            if (!sb.isEmpty()) {
                r.write(Buffer.buffer(sb.toString().getBytes(StandardCharsets.UTF_8)));
            }
            if (events.size() < PAGE) {
                r.end();
            } else {
                long next = events.get(events.size() - 1).seq();
                if (r.writeQueueFull()) {
                    r.drainHandler(v -> {
                        r.drainHandler(null);
                        writePage(ctx, r, id, next);
                    });
                } else {
                    writePage(ctx, r, id, next);
                }
            }
        });
    }

    private static long position(RoutingContext ctx) {
        Long after = SseFrames.resumeAfter(ctx.request().getHeader("Last-Event-ID"), ctx.request().getParam("after"),
                "an event id");
        return after == null ? 0 : after;
    }

    private static ApiProblemException unavailable(Throwable t) {
        LOG.warnf("log request failed: %s", t.getMessage());
        if (t instanceof SQLException || t instanceof StoreException) {
            return new ApiProblemException(Reason.SERVICE_UNAVAILABLE, "the job database is not reachable; retry later");
        }
        return new ApiProblemException(Reason.INTERNAL_ERROR, "internal error; the server log has the details");
    }

    /** Writes a problem+json answer for a Vert.x-level failure (any route of the service). */
    public static void problem(RoutingContext ctx, Throwable failure) {
        ApiProblemException e = failure instanceof ApiProblemException j ? j
                : new ApiProblemException(Reason.INTERNAL_ERROR, "internal error; the server log has the details");
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.headWritten()) {
            return;
        }
        r.setStatusCode(Problems.status(e.reason()));
        r.putHeader("Content-Type", Problems.MEDIA_TYPE);
        if (e.reason() == Reason.UNAUTHORIZED) {
            r.putHeader("WWW-Authenticate", "Bearer");
        }
        r.end(Problems.body(e.reason(), e.getMessage(), ctx.request().path(), e.extensions()));
    }

}
