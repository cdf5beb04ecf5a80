package io.flinkjobrunner.service.targets;

/**
 * The job log as seen by one step: every line is stored durably with a timestamp and the step name and streamed to
 * subscribers. URLs in the text are redacted before storage.
 */
public interface StepLog {

    void info(String line);

    void warn(String line);

    void error(String line);
}
