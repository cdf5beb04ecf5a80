package io.flinkjobrunner.service.auth;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Checks the caller's role when {@code runner.auth.enabled} is true: no or invalid token is 401, a token without the
 * role is 403. With authentication disabled (the embedded local run) everything is allowed and tokens are ignored.
 */
@ApplicationScoped
public class AccessGuard {

    @Inject
    RunnerConfig config;
    @Inject
    Instance<SecurityIdentity> identity;

    /** For JAX-RS methods (worker thread): throws unless the caller has the role. */
    public void require(Role role) {
        if (!config.auth().enabled()) {
            return;
        }
        SecurityIdentity id;
        try {
            id = identity.get();
        } catch (AuthenticationFailedException e) {
            throw unauthorized();
        }
        check(id, role);
    }

    /** For Vert.x routes: completes when the caller has the role, fails with a {@link ApiProblemException}. */
    public Uni<Void> require(RoutingContext ctx, Role role) {
        if (!config.auth().enabled()) {
            return Uni.createFrom().voidItem();
        }
        return QuarkusHttpUser.getSecurityIdentity(ctx, null)
                .onFailure().transform(e -> unauthorized())
                .invoke(id -> check(id, role))
                .replaceWithVoid();
    }

    private void check(SecurityIdentity id, Role role) {
        if (id == null || id.isAnonymous()) {
            throw unauthorized();
        }
        if (!id.hasRole(roleName(role))) {
            throw new ApiProblemException(Reason.FORBIDDEN, "this operation needs the role '" + roleName(role) + "'");
        }
    }

    private String roleName(Role role) {
        return switch (role) {
            case SUBMIT -> config.auth().roles().submit();
            case READ -> config.auth().roles().read();
            case CANCEL -> config.auth().roles().cancel();
        };
    }

    private static ApiProblemException unauthorized() {
        return new ApiProblemException(Reason.UNAUTHORIZED, "a valid bearer token is required");
    }
}
