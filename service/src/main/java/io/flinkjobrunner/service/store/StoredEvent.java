package io.flinkjobrunner.service.store;

import java.time.Instant;

/** One durable row of a job's event sequence: a log line or a status change. */
public record StoredEvent(String jobId, long seq, Kind kind, Instant at, String step, String body) {

    /** Event kinds; the name is the SSE {@code event:} field. */
    public enum Kind {
        LOG("log"), STATUS("status");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        /** Name in the database and on the wire. */
        public String wire() {
            return wire;
        }

        static Kind fromWire(String s) {
            return s.equals("status") ? STATUS : LOG;
        }
    }

    /**
     * True for a status event that reports a terminal job status (the end of the stream). Step transitions and step
     * details carry a {@code "step"} key (details may nest arbitrary fields, e.g. the operator's job state
     * {@code FAILED}); job transitions never do.
     */
    public boolean terminal() {
        return kind == Kind.STATUS && (body.contains("\"status\":\"SUCCEEDED\"") || body.contains("\"status\":\"FAILED\"")
                || body.contains("\"status\":\"CANCELLED\"")) && !body.contains("\"step\":");
    }
}
