package io.flinkjobrunner.service.problems;

/** Machine-readable reason of a refused request; the API turns it into a stable problem {@code type}. */
public enum Reason {
    MALFORMED_JSON("malformed-json"),
    INVALID_REQUEST("invalid-request"),
    UNKNOWN_FIELD("unknown-field"),
    UNKNOWN_TARGET("unknown-target"),
    JOB_NOT_FOUND("job-not-found"),
    JOB_ID_CONFLICT("job-id-conflict"),
    JOB_ALREADY_TERMINAL("job-already-terminal"),
    JOB_NOT_TERMINAL("job-not-terminal"),
    DEPLOYMENT_BUSY("deployment-busy"),
    DEPLOYMENT_NOT_FOUND("deployment-not-found"),
    DEPLOYMENT_NOT_RUNNING("deployment-not-running"),
    DEPLOYMENT_NOT_LOCAL("deployment-not-local"),
    INVALID_ENTITY("invalid-entity"),
    UNMAPPED_CONTEXT("unmapped-context"),
    CONTEXT_UNAVAILABLE("context-unavailable"),
    ARTIFACT_NOT_FOUND("artifact-not-found"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not-found"),
    METHOD_NOT_ALLOWED("method-not-allowed"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type"),
    NOT_ACCEPTABLE("not-acceptable"),
    REQUEST_TOO_LARGE("request-too-large"),
    SERVICE_UNAVAILABLE("service-unavailable"),
    INTERNAL_ERROR("internal-error");

    private final String slug;

    Reason(String slug) {
        this.slug = slug;
    }

    /** Last path segment of the problem type URI. */
    public String slug() {
        return slug;
    }
}
