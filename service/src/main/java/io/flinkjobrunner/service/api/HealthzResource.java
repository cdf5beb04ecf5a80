package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.store.JobRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.sql.Connection;
import java.sql.SQLException;

/** {@code GET /healthz}: {@code ok} (200) for probes written against the reference; {@code bad} (503) without DB. */
@Path("/healthz")
public class HealthzResource {

    @Inject
    JobRepository jobs;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public Response healthz() {
        try (Connection c = jobs.connection()) {
            if (c.isValid(2)) {
                return Response.ok("ok").build();
            }
        } catch (SQLException e) {
            // reported below
        }
        return Response.status(503).entity("bad").build();
    }
}
