package io.flinkjobrunner.service.store;

import java.time.Instant;

/** An event about to be appended to a job's sequence. Log lines count toward the per-job log cap. */
public record NewEvent(StoredEvent.Kind kind, Instant at, String step, String body) {
}
