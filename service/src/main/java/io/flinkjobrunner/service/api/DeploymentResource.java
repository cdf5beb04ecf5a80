package io.flinkjobrunner.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flinkjobrunner.service.auth.AccessGuard;
import io.flinkjobrunner.service.auth.Role;
import io.flinkjobrunner.service.deploy.DeploymentBackends;
import io.flinkjobrunner.service.deploy.local.EntityService;
import io.flinkjobrunner.service.deploy.local.LocalDeployments;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.service.store.DeploymentRecord;
import io.flinkjobrunner.service.store.DeploymentRepository;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * The deployments: list and inspect them, and feed NGSI-LD entities to one that runs on the local engine. Its alerts
 * are served by {@code AlertStreamRoute} ({@code GET /deployments/{name}/alerts}).
 */
@Path("/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    /** NGSI-LD's media type for JSON-LD bodies. */
    static final String LD_JSON = "application/ld+json";

    @Inject
    DeploymentRepository deployments;
    @Inject
    LocalDeployments localJobs;
    @Inject
    EntityService entities;
    @Inject
    AccessGuard access;

    /** {@code GET /deployments}. */
    public record Page(List<View> deployments, int count) {
    }

    /**
     * One deployment.
     *
     * @param name deployment name
     * @param backend {@code local} or {@code kubernetes}
     * @param status DEPLOYING, RUNNING, FAILED, UNDEPLOYING or UNDEPLOYED
     * @param since when the status began
     * @param sourceJobId the job that last changed it
     * @param kubeContext kube context (Kubernetes only)
     * @param namespace namespace (Kubernetes only)
     * @param detail the backend's last word
     * @param specSha256 SHA-256 of what is applied (the plan's artifact)
     * @param scriptSha256 SHA-256 of the Flink SQL script
     * @param job the Flink job on the local engine, null on Kubernetes and when none runs
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record View(String name, String backend, String status, String since, String sourceJobId,
            String kubeContext, String namespace, String detail, String specSha256, String scriptSha256, Job job) {
    }

    /**
     * A deployment's Flink job on the local engine.
     *
     * @param jobId Flink job id
     * @param state Flink job status
     * @param stateFrom {@code savepoint} (state carried over) or {@code kafka} (topics replayed)
     * @param since when it started running
     */
    public record Job(String jobId, String state, String stateFrom, String since) {
    }

    @GET
    @Operation(summary = "List deployments", description = "Every deployment ever made, by name, with its status; "
            + "UNDEPLOYED ones stay as history until the name is deployed again.")
    public Page list() {
        access.require(Role.READ);
        List<View> views = deployments.list().stream().map(this::view).toList();
        return new Page(views, views.size());
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One deployment")
    @APIResponse(responseCode = "404", description = "no deployment of that name")
    public View get(@PathParam("name") String name) {
        access.require(Role.READ);
        return deployments.find(name).map(this::view).orElseThrow(() -> new ApiProblemException(
                Reason.DEPLOYMENT_NOT_FOUND, "no deployment '" + name + "'"));
    }

    @POST
    @Path("{name}/entities")
    @Consumes({MediaType.APPLICATION_JSON, LD_JSON})
    @Operation(summary = "Feed NGSI-LD entities to a running local deployment", description = "One entity or an "
            + "array, normalized form. The entities are mapped to entity and attribute rows and published to the "
            + "deployment's topics before the answer (202 with the counts).")
    @APIResponse(responseCode = "202", description = "published")
    @APIResponse(responseCode = "400", description = "malformed JSON (line, column), unmapped remote @context "
            + "(url), invalid entity")
    @APIResponse(responseCode = "404", description = "no deployment of that name")
    @APIResponse(responseCode = "409", description = "the deployment is not running, or runs on Kubernetes")
    @APIResponse(responseCode = "503", description = "the local engine's Kafka failed or did not acknowledge in time; "
            + "retry")
    @ResponseStatus(202)
    public Uni<EntityService.Ingested> feed(@PathParam("name") String name, byte[] body,
            @Context RoutingContext routing) {
        // on the event loop: no worker thread waits for the broker, and the mapping of a post (microseconds per
        // entity, the body at most quarkus.http.limits.max-body-size) is not handed to one; what can block is handed
        // to the worker pool by the entity service itself
        return access.require(routing, Role.SUBMIT).chain(() -> Uni.createFrom()
                .completionStage(() -> entities.ingest(name, body, Infrastructure.getDefaultWorkerPool())))
                .onFailure(CompletionException.class).transform(e -> e.getCause() != null ? e.getCause() : e);
    }

    private View view(DeploymentRecord r) {
        Job job = null;
        if (DeploymentBackends.LOCAL.equals(r.backend())) {
            job = localJobs.running(r.name()).map(running -> new Job(running.job().jobId(),
                    running.job().status().name(), running.restoredFrom(), running.since().toString())).orElse(null);
        }
        return new View(r.name(), r.backend(), r.status().name(), r.since().toString(), r.sourceJobId(),
                r.kubeContext().orElse(null), r.namespace().orElse(null), r.detail().orElse(null),
                r.specSha256().orElse(null), r.scriptSha256().orElse(null), job);
    }
}
