package io.flinkjobrunner.service.problems;

import java.util.List;
import java.util.Map;

/** A refused operation with its reason, a human-readable detail and optional structured extensions. */
public class ApiProblemException extends RuntimeException {

    private final Reason reason;
    private final Map<String, Object> extensions;

    public ApiProblemException(Reason reason, String detail) {
        this(reason, detail, Map.of());
    }

    public ApiProblemException(Reason reason, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.reason = reason;
        this.extensions = Map.copyOf(extensions);
    }

    /** A 400 listing every problem found in a request. */
    public static ApiProblemException invalid(Reason reason, List<String> errors) {
        String detail = errors.size() == 1 ? errors.get(0) : String.join("; ", errors);
        return new ApiProblemException(reason, detail, Map.of("errors", List.copyOf(errors)));
    }

    public Reason reason() {
        return reason;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
