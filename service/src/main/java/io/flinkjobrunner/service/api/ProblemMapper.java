package io.flinkjobrunner.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.store.StoreException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** The one place that turns exceptions into {@code application/problem+json}; never HTML, never a stack trace. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ApiProblemException e, UriInfo uri) {
        Response.ResponseBuilder r = Response.status(Problems.status(e.reason()))
                .type(Problems.MEDIA_TYPE)
                .entity(Problems.body(e.reason(), e.getMessage(), path(uri), e.extensions()));
        if (e.reason() == Reason.UNAUTHORIZED) {
            r.header("WWW-Authenticate", "Bearer");
        }
        return r.build();
    }

    @ServerExceptionMapper
    public Response store(StoreException e, UriInfo uri) {
        LOG.warnf("database error: %s (%s)", e.getMessage(), e.getCause() == null ? "" : e.getCause().getMessage());
        return problem(Reason.SERVICE_UNAVAILABLE, "the job database is not reachable; retry later", uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return problem(Reason.MALFORMED_JSON, "request body is not valid JSON: " + e.getOriginalMessage(), uri);
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return problem(new ApiProblemException(Reason.UNAUTHORIZED, "a valid bearer token is required"), uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(Reason.FORBIDDEN, "the token lacks the role this operation needs", uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e instanceof NotFoundException || status == 404) {
            return problem(Reason.NOT_FOUND, "no resource at " + path(uri), uri);
        }
        if (e instanceof NotAllowedException || status == 405) {
            Response.ResponseBuilder r = Response.status(405).type(Problems.MEDIA_TYPE).entity(Problems.body(
                    Reason.METHOD_NOT_ALLOWED, "method not allowed on " + path(uri), path(uri), Map.of()));
            if (e.getResponse() != null && e.getResponse().getHeaderString("Allow") != null) {
                r.header("Allow", e.getResponse().getHeaderString("Allow"));
            }
            return r.build();
        }
        if (e instanceof NotSupportedException || status == 415) {
            return problem(Reason.UNSUPPORTED_MEDIA_TYPE, "send the request body as application/json", uri);
        }
        if (e instanceof NotAcceptableException || status == 406) {
            return problem(Reason.NOT_ACCEPTABLE, "the requested media type cannot be produced", uri);
        }
        if (status == 413) {
            return problem(Reason.REQUEST_TOO_LARGE, "request body too large", uri);
        }
        if (status >= 400 && status < 500) {
            return problem(Reason.INVALID_REQUEST, "bad request", uri);
        }
        LOG.error("request failed", e);
        return problem(Reason.INTERNAL_ERROR, "internal error; the server log has the details", uri);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response any(Throwable e, UriInfo uri) {
        LOG.error("request failed", e);
        return problem(Reason.INTERNAL_ERROR, "internal error; the server log has the details", uri);
    }

    private static Response problem(Reason reason, String detail, UriInfo uri) {
        return Response.status(Problems.status(reason)).type(Problems.MEDIA_TYPE)
                .entity(Problems.body(reason, detail, path(uri), Map.of())).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
