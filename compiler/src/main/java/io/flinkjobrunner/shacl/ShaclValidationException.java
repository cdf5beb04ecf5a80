package io.flinkjobrunner.shacl;

import java.util.Objects;

/** SHACL validation could not run; distinct from a report that says the data does not conform. */
public final class ShaclValidationException extends RuntimeException {

    /** Why validation could not run. */
    public enum Reason {
        /** The SHACL engine refused the shapes graph; run {@link ShapesGraphChecker} for the details. */
        SHAPES_REJECTED,
        /** The SHACL engine failed while validating (a bug or resource exhaustion, not an input problem). */
        ENGINE_FAILURE
    }

    private final Reason reason;

    public ShaclValidationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
