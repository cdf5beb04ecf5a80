-- Jobs, their steps, inputs, events (log lines + status changes, one sequence per job) and artifacts.

CREATE TABLE jobs (
    id               TEXT        PRIMARY KEY,
    target           TEXT        NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    request_mac      TEXT        NOT NULL,          -- HMAC of the canonical request (idempotency), never the request
    context          JSONB       NOT NULL,          -- kubeContext, namespace, deployment
    sealed_urls      BYTEA,                         -- AES-GCM encrypted full input URLs; erased once downloaded
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    started_at       TIMESTAMPTZ,
    ended_at         TIMESTAMPTZ,
    last_error       TEXT,
    owner            TEXT,                          -- node id + '/' + incarnation of the replica running it
    lease_until      TIMESTAMPTZ,
    cancel_requested BOOLEAN     NOT NULL DEFAULT FALSE,
    last_seq         BIGINT      NOT NULL DEFAULT 0, -- last event sequence number used
    log_bytes        BIGINT      NOT NULL DEFAULT 0,
    log_truncated    BOOLEAN     NOT NULL DEFAULT FALSE
);

CREATE INDEX jobs_queue ON jobs (created_at, id) WHERE status = 'QUEUED';
CREATE INDEX jobs_running ON jobs (lease_until) WHERE status = 'RUNNING';
CREATE INDEX jobs_listing ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_status_listing ON jobs (status, created_at DESC, id DESC);

CREATE TABLE job_steps (
    job_id     TEXT        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    position   INT         NOT NULL,
    name       TEXT        NOT NULL,
    status     TEXT        NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED')),
    started_at TIMESTAMPTZ,
    ended_at   TIMESTAMPTZ,
    PRIMARY KEY (job_id, position)
);

CREATE TABLE job_inputs (
    job_id       TEXT   NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name         TEXT   NOT NULL,
    redacted_url TEXT   NOT NULL,
    bytes        BIGINT,
    sha256       TEXT,
    PRIMARY KEY (job_id, name)
);

CREATE TABLE job_events (
    job_id TEXT        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq    BIGINT      NOT NULL,
    kind   TEXT        NOT NULL CHECK (kind IN ('log', 'status')),
    at     TIMESTAMPTZ NOT NULL,
    step   TEXT,
    body   TEXT        NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE job_artifacts (
    job_id     TEXT        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name       TEXT        NOT NULL,
    media_type TEXT        NOT NULL,
    content    BYTEA       NOT NULL,
    bytes      BIGINT      NOT NULL,
    sha256     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job_id, name)
);
