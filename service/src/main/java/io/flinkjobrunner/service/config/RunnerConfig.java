package io.flinkjobrunner.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the job service under the {@code runner.} prefix (env {@code RUNNER_*}). */
@ConfigMapping(prefix = "runner")
public interface RunnerConfig {

    /** Data directory: embedded PostgreSQL data, per-job workspaces, the generated secret key. */
    @WithName("work-dir")
    @WithDefault("work")
    Path workDir();

    /**
     * Name of this replica in job owners and logs; defaults to the host name (the pod name in Kubernetes). Needs not be
     * stable: a replica's death is detected through its database session, not by its name.
     */
    @WithName("node-id")
    Optional<String> nodeId();

    /** Job execution. */
    Jobs jobs();

    /** Job logs and their SSE stream. */
    Logs logs();

    /** Downloads of job inputs. */
    Download download();

    /** Encryption of pending input URLs and the idempotency HMAC key. */
    Secrets secrets();

    /** Bearer-token authentication. */
    Auth auth();

    /** NGSI-LD models. */
    Ngsild ngsild();

    /** NGSI-LD settings. */
    interface Ngsild {
        /**
         * Local copies of JSON-LD contexts a model may reference: context URL -> local file. A mapped URL is never
         * fetched; the NGSI-LD core context is bundled.
         */
        Map<String, String> contexts();

        /**
         * Offline switch: true refuses every remote context that is neither mapped nor the core context (the
         * behaviour before remote contexts were fetched); false fetches it through the input downloader's guards.
         */
        @WithDefault("false")
        boolean offline();

        /** Remote contexts that are fetched. */
        RemoteContexts remote();

        /** Fetching remote contexts. */
        interface RemoteContexts {
            /** Largest context document fetched (the smaller of this and {@code runner.download.max-bytes}). */
            @WithName("max-bytes")
            @WithDefault("1048576")
            long maxBytes();

            /** Longest fetch of one context, redirects included (the smaller of this and the download total). */
            @WithName("timeout")
            @WithDefault("30s")
            Duration timeout();

            /** How long a fetched context is reused before it is fetched again. */
            @WithName("max-age")
            @WithDefault("1h")
            Duration maxAge();
        }
    }

    /** Job execution settings. */
    interface Jobs {
        /** Jobs run at the same time on this replica; further jobs wait in QUEUED. */
        @WithDefault("2")
        int concurrency();

        /** Target used when a submission names none. */
        @WithName("default-target")
        @WithDefault("validate")
        String defaultTarget();

        /**
         * A RUNNING job whose replica has not renewed its lease for this long is taken over by another replica (queued
         * again). Catches replicas that froze or lost the database; a replica whose process died is seen within
         * three heartbeats, through its database session.
         */
        @WithDefault("15s")
        Duration lease();

        /**
         * How often a replica renews the leases of its running jobs, confirms its liveness and looks for jobs of lost
         * replicas.
         */
        @WithDefault("3s")
        Duration heartbeat();

        /**
         * Attempts at a job before it fails: an attempt lost with its replica (crash, freeze past the lease) counts;
         * one handed back at a graceful shutdown does not.
         */
        @WithName("max-attempts")
        @WithDefault("3")
        int maxAttempts();

        /**
         * At shutdown, how long running jobs may take to finish; those still running are then handed back (queued
         * again) for another replica. Keep the pod's terminationGracePeriodSeconds above preStop + this + 10 s.
         */
        @WithName("drain-timeout")
        @WithDefault("25s")
        Duration drainTimeout();

        /** How often idle workers look for queued jobs when no notification arrived. */
        @WithName("poll-interval")
        @WithDefault("5s")
        Duration pollInterval();

        /** Terminal jobs older than this are deleted (record, log, artifacts, workspace). */
        @WithDefault("30d")
        Duration retention();

        /** Keep a job's workspace after it ended (debugging); otherwise it is removed when the job ends. */
        @WithName("keep-workspace")
        @WithDefault("false")
        boolean keepWorkspace();
    }

    /** Log settings. */
    interface Logs {
        /** Per-job cap on stored log text; later lines are dropped after a visible truncation marker. */
        @WithName("max-bytes")
        @WithDefault("16777216")
        long maxBytes();

        /** Longer lines are cut and marked. */
        @WithName("max-line-length")
        @WithDefault("8192")
        int maxLineLength();

        /** Interval of the SSE heartbeat comment. */
        @WithName("heartbeat")
        @WithDefault("15s")
        Duration heartbeat();

        /**
         * Coalescing window of live SSE deliveries: events committed within it after the previous delivery go to
         * every subscriber in one write. Bounds writes per subscriber under load (the cost of fan-out is per write,
         * not per event); adds at most this latency; a quiet job's events go out at once.
         */
        @WithName("coalesce")
        @WithDefault("50ms")
        Duration coalesce();
    }

    /** Download settings for job inputs. */
    interface Download {
        /** Maximum size of one input. */
        @WithName("max-bytes")
        @WithDefault("52428800")
        long maxBytes();

        @WithName("connect-timeout")
        @WithDefault("10s")
        Duration connectTimeout();

        @WithName("read-timeout")
        @WithDefault("30s")
        Duration readTimeout();

        @WithName("total-timeout")
        @WithDefault("5m")
        Duration totalTimeout();

        @WithName("max-redirects")
        @WithDefault("5")
        int maxRedirects();

        /** Hosts (or CIDR ranges) allowed even though they resolve to private, loopback or link-local addresses. */
        @WithName("allow-hosts")
        Optional<List<String>> allowHosts();
    }

    /** Secret material. */
    interface Secrets {
        /** Base64 AES-256 key (32 bytes). Without it a key file in the work directory is used (created on first start). */
        Optional<String> key();
    }

    /** Authentication settings. */
    interface Auth {
        /** Require a bearer JWT with the role of the operation. */
        @WithDefault("false")
        boolean enabled();

        /** Role names (JWT {@code groups} claim). */
        Roles roles();

        /** Role names. */
        interface Roles {
            @WithDefault("jobs-submit")
            String submit();

            @WithDefault("jobs-read")
            String read();

            @WithDefault("jobs-cancel")
            String cancel();
        }
    }
}
