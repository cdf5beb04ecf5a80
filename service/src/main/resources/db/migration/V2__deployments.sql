-- Deployments: one row per deployment name, and the lock that keeps two jobs off one deployment.

-- The deployment a job changes (deploy, undeploy, ...), NULL for jobs that only read (validate, build, plan, setup).
-- Unique among QUEUED and RUNNING jobs: a second job for the same deployment is refused at submission (409) on any
-- replica, and the hold ends with the job, also when its replica dies (the lease reaper ends the job).
ALTER TABLE jobs ADD COLUMN deployment_lock TEXT;
CREATE UNIQUE INDEX jobs_deployment_lock ON jobs (deployment_lock) WHERE status IN ('QUEUED', 'RUNNING');

CREATE TABLE deployments (
    name          TEXT        PRIMARY KEY,       -- the job context's deployment name
    backend       TEXT        NOT NULL,          -- kubernetes | local
    kube_context  TEXT,                          -- kubeconfig context (NULL: the service's default client)
    namespace     TEXT,                          -- Kubernetes namespace (NULL for the local engine)
    status        TEXT        NOT NULL CHECK (status IN ('DEPLOYING', 'RUNNING', 'FAILED', 'UNDEPLOYING', 'UNDEPLOYED')),
    since         TIMESTAMPTZ NOT NULL,          -- when the current status began
    source_job_id TEXT        NOT NULL,          -- the job that last changed it (no foreign key: jobs are pruned)
    spec_sha256   TEXT,                          -- SHA-256 of what was applied (the plan's manifests.yaml)
    script_sha256 TEXT,                          -- SHA-256 of the Flink SQL script
    detail        TEXT,                          -- the backend's last word: operator state or the error
    updated_at    TIMESTAMPTZ NOT NULL
);
