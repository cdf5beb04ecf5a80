package io.flinkjobrunner.service.targets;

import java.util.Set;

/**
 * A step whose result an earlier attempt of the same job stored durably (as artifacts), so that an attempt after a
 * lost one puts the values it {@link #provides() provides} from there instead of running it again ({@link
 * ResumePlan}).
 */
public interface RestorableStep extends Step {

    /**
     * Puts this step's values from what an earlier attempt's run of it stored. Throw {@link StepFailedException} if
     * that is missing or inconsistent (the attempt then fails, and is not half resumed).
     */
    void restore(StepContext context) throws Exception;

    /**
     * The artifacts {@link #restore} reads: an attempt restores this step only if the job has all of them, else it
     * starts over (e.g. an artifact an operator deleted).
     */
    Set<String> restoredFrom();
}
