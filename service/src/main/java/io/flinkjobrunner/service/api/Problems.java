package io.flinkjobrunner.service.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.service.problems.Reason;

import java.util.Map;

/** RFC 9457 problem documents: one status per reason, a stable {@code type} URI, a human-readable detail. */
public final class Problems {

    /** Media type of every error response. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Prefix of every problem type URI. */
    public static final String TYPE_BASE = "https://flinkjobrunner.io/problems/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    /** The HTTP status of a reason. */
    public static int status(Reason reason) {
        return switch (reason) {
            case MALFORMED_JSON, INVALID_REQUEST, UNKNOWN_FIELD, UNKNOWN_TARGET, INVALID_ENTITY, UNMAPPED_CONTEXT,
                    CONTEXT_UNAVAILABLE -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case JOB_NOT_FOUND, ARTIFACT_NOT_FOUND, NOT_FOUND, DEPLOYMENT_NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case NOT_ACCEPTABLE -> 406;
            case JOB_ID_CONFLICT, JOB_ALREADY_TERMINAL, JOB_NOT_TERMINAL, DEPLOYMENT_BUSY, DEPLOYMENT_NOT_RUNNING,
                    DEPLOYMENT_NOT_LOCAL -> 409;
            case REQUEST_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case SERVICE_UNAVAILABLE -> 503;
            case INTERNAL_ERROR -> 500;
        };
    }

    /** Short title of a reason. */
    public static String title(Reason reason) {
        String s = reason.slug().replace('-', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The JSON body of a problem. */
    public static String body(Reason reason, String detail, String instance, Map<String, Object> extensions) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", TYPE_BASE + reason.slug());
        n.put("title", title(reason));
        n.put("status", status(reason));
        n.put("detail", detail);
        if (instance != null) {
            n.put("instance", instance);
        }
        extensions.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        return n.toString();
    }
}
