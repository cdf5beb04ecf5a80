package io.flinkjobrunner.authoring;

import java.util.Objects;

/** An alert-authoring request cannot be served; the message says which input is wrong and how. */
public final class AuthoringException extends Exception {

    /** Which input is at fault. */
    public enum Reason {
        /** The prompt is not usable (too long). */
        INVALID_PROMPT,
        /** A condition field is missing or malformed (unknown operator, non-numeric threshold, bad sensor name). */
        INVALID_CONDITION,
        /** The JSON-LD data is not an NGSI-LD entity, or uses a context that is not available offline. */
        INVALID_DATA,
        /** Nothing says which condition to test, and the shape does not reveal it. */
        NO_CONDITION,
        /** The stream engine could not run the scenarios (compilation or job failure). */
        ENGINE_FAILED
    }

    private final Reason reason;

    public AuthoringException(Reason reason, String message) {
        this(reason, message, null);
    }

    public AuthoringException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
