package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.auth.AccessGuard;
import io.flinkjobrunner.service.auth.Role;
import io.flinkjobrunner.service.jobs.JobRequestParser;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.TargetRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** {@code GET /targets}: the targets this service can run, with their steps and required inputs. */
@Path("/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetResource {

    @Inject
    TargetRegistry registry;
    @Inject
    AccessGuard access;

    /**
     * One available target; {@code requiredInputs}: every {@code urls} name a submission must carry (none for
     * {@code undeploy}, {@code model} too for {@code simulate}).
     */
    public record TargetView(String name, String description, List<String> steps, List<String> requiredInputs) {
    }

    /** The response. */
    public record Targets(List<TargetView> targets) {
    }

    @GET
    @Operation(summary = "Available targets and their steps")
    public Targets list() {
        access.require(Role.READ);
        return new Targets(registry.all().stream()
                .map(t -> new TargetView(t.name(), t.description(), t.steps().stream().map(Step::name).toList(),
                        JobRequestParser.INPUT_NAMES.stream()
                                .filter(t.requiredInputs()::contains).toList()))
                .toList());
    }
}
