package io.flinkjobrunner.service.state;

/**
 * This replica no longer owns the job: another replica took it over (its lease expired or its replica was seen dead),
 * it was handed back at shutdown, or ownership could not be confirmed in time. The run stops at once and writes
 * nothing more; whoever holds the job now decides its outcome. Never caught by steps.
 */
public class OwnershipLostException extends RuntimeException {

    public OwnershipLostException(String message) {
        super(message, null, false, false);
    }
}
