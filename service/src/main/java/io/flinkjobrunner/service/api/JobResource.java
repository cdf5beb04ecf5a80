package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.auth.AccessGuard;
import io.flinkjobrunner.service.auth.Role;
import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.jobs.JobRequest;
import io.flinkjobrunner.service.jobs.JobRequestParser;
import io.flinkjobrunner.service.jobs.JobService;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.store.JobRecord;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.targets.Target;
import io.flinkjobrunner.service.targets.TargetRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The job API: submit, list, inspect, cancel, delete, artifacts. Logs are served by {@code LogStreamRoute}. */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @Inject
    JobService service;
    @Inject
    JobRepository jobs;
    @Inject
    AccessGuard access;
    @Inject
    RunnerConfig config;
    @Inject
    TargetRegistry targets;

    /** Example body for the OpenAPI document. */
    public record SubmitBody(String jobId, String target, Map<String, String> urls, Map<String, String> context) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Queues a job. Same jobId + same body returns the existing "
            + "job (200); same jobId + different body is 409. Unknown fields are refused (400).")
    @RequestBody(content = @Content(schema = @Schema(implementation = SubmitBody.class)))
    @APIResponse(responseCode = "202", description = "accepted, QUEUED")
    @APIResponse(responseCode = "200", description = "idempotent replay of an existing job")
    @APIResponse(responseCode = "400", description = "invalid request, unknown field or target")
    @APIResponse(responseCode = "409", description = "jobId exists with a different request")
    public Response submit(byte[] body, UriInfo uri) {
        access.require(Role.SUBMIT);
        JobRequest request = JobRequestParser.parse(body, config.jobs().defaultTarget(),
                name -> targets.find(name).map(Target::requiredInputs).orElse(Set.of("knowledge", "shacl")));
        JobService.Submission s = service.submit(request);
        return Response.status(s.existed() ? 200 : 202)
                .location(uri.getBaseUriBuilder().path("jobs").path(s.jobId()).build())
                .entity(new JobViews.Accepted(s.jobId(), s.status().name()))
                .build();
    }

    @GET
    @Operation(summary = "List jobs, newest first")
    public JobViews.Page list(@QueryParam("status") String status, @QueryParam("offset") String offset,
                              @QueryParam("limit") String limit) {
        access.require(Role.READ);
        Optional<JobStatus> filter = Optional.ofNullable(status).filter(s -> !s.isBlank()).map(JobResource::status);
        int off = intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        int lim = intParam("limit", limit, 50, 1, 500);
        List<JobViews.Summary> page = jobs.list(filter, off, lim).stream().map(JobViews::summary).toList();
        return new JobViews.Page(page, jobs.count(filter), off, lim);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Status of one job with its steps and inputs")
    public JobViews.Detail get(@PathParam("id") String id) {
        access.require(Role.READ);
        return JobViews.detail(service.get(id));
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a job", description = "Ends in CANCELLED. 409 if the job already ended.")
    @APIResponse(responseCode = "200", description = "cancelled")
    @APIResponse(responseCode = "202", description = "cancellation requested, the job is still stopping")
    public Response cancel(@PathParam("id") String id) {
        access.require(Role.CANCEL);
        JobRecord job = service.cancel(id);
        return Response.status(job.status().isTerminal() ? 200 : 202)
                .entity(new JobViews.Accepted(job.id(), job.status().name())).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a terminal job with its log, artifacts and workspace")
    @APIResponse(responseCode = "204", description = "deleted")
    public Response delete(@PathParam("id") String id) {
        access.require(Role.CANCEL);
        service.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/artifacts")
    @Operation(summary = "Artifacts a job produced")
    public JobViews.Artifacts artifacts(@PathParam("id") String id) {
        access.require(Role.READ);
        service.get(id);
        return new JobViews.Artifacts(id, jobs.artifacts(id).stream().map(JobViews::artifact).toList());
    }

    @GET
    @Path("{id}/artifacts/{name}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "Content of one artifact")
    public Response artifact(@PathParam("id") String id, @PathParam("name") String name) {
        access.require(Role.READ);
        service.get(id);
        String mediaType = jobs.artifactMediaType(id, name).orElseThrow(() -> missingArtifact(id, name));
        // streamed in chunks from the store: a unit's artifacts can be far larger than what a request should hold
        StreamingOutput content = out -> {
            if (!jobs.writeArtifact(id, name, out)) {
                // deleted since the media type was read, after the 200 was decided: end the response as failed
                throw missingArtifact(id, name);
            }
        };
        return Response.ok(content, mediaType)
                .header("Content-Disposition", "inline; filename=\"" + name + "\"").build();
    }

    private static ApiProblemException missingArtifact(String id, String name) {
        return new ApiProblemException(Reason.ARTIFACT_NOT_FOUND, "job " + id + " has no artifact '" + name + "'");
    }

    private static JobStatus status(String s) {
        try {
            return JobStatus.valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblemException.invalid(Reason.INVALID_REQUEST, List.of("status must be one of "
                    + Arrays.toString(JobStatus.values())));
        }
    }

    private static int intParam(String name, String value, int dflt, int min, int max) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(value.strip());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiProblemException.invalid(Reason.INVALID_REQUEST,
                    List.of(name + " must be an integer between " + min + " and " + max));
        }
    }
}
