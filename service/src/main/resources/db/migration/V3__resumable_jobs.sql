-- Jobs survive the loss of their replica: every claim is a numbered attempt (with the owner, the fencing token every
-- write of the job checks), replicas register their liveness, and all replicas must share one secret key.

-- Claims so far: each claim increments it, so (owner, attempt) names exactly one run of the job.
ALTER TABLE jobs ADD COLUMN attempt INT NOT NULL DEFAULT 0;
-- Attempts that ended because their replica was lost (crash, freeze past the lease); a graceful hand-back is not
-- counted. The job fails once runner.jobs.max-attempts of them were lost.
ALTER TABLE jobs ADD COLUMN lost_attempts INT NOT NULL DEFAULT 0;

-- The attempt whose run wrote an event (NULL: written by the service itself: submission, claim bookkeeping,
-- takeover). Shows which attempt said what, and that a lost attempt wrote nothing after it was lost.
ALTER TABLE job_events ADD COLUMN attempt INT;

-- History of a job's attempts: who ran it and how each attempt ended.
CREATE TABLE job_attempts (
    job_id     TEXT        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt    INT         NOT NULL,
    owner      TEXT        NOT NULL,            -- node id + '/' + incarnation
    started_at TIMESTAMPTZ NOT NULL,
    ended_at   TIMESTAMPTZ,
    outcome    TEXT,                            -- SUCCEEDED, FAILED, CANCELLED, LOST, HANDED_BACK
    detail     TEXT,                            -- what happened to a LOST or HANDED_BACK attempt
    PRIMARY KEY (job_id, attempt)
);

-- Live replicas. Each holds a session-level advisory lock (classid 1718252082 = 'fjr2', objid lock_key) on a dedicated
-- connection: when its process dies, PostgreSQL drops the session and the lock with it, so other replicas see the
-- death within a heartbeat instead of waiting for a lease. seen_at is refreshed on that connection every heartbeat.
CREATE TABLE replicas (
    owner      TEXT        PRIMARY KEY,
    node_id    TEXT        NOT NULL,
    lock_key   INT         NOT NULL UNIQUE CHECK (lock_key > 0),
    started_at TIMESTAMPTZ NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL
);

-- Fingerprint (HMAC with a sub-key) of the secret key that sealed the stored secrets: a replica started with another
-- key refuses to start instead of failing every job it claims.
CREATE TABLE secret_key (
    singleton   BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    fingerprint TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
