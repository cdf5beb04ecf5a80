package io.flinkjobrunner.service.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.service.testing.InputServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas of the packaged service ({@code java -jar quarkus-run.jar}) on one real PostgreSQL server (zonky's
 * PostgreSQL binaries, a server process of its own), as a cluster runs them, with the lease shortened so the test is
 * quick (lease 6 s, heartbeat 1 s, drain 6 s, shutdown delay 2 s; {@code -Dfjr.it.lease=15s -Dfjr.it.heartbeat=3s}
 * measures the shipped defaults):
 *
 * <ol>
 *   <li>a rolling restart (SIGTERM, start again, one replica after the other) under a steady flow of small and large
 *   jobs, sent only to replicas whose readiness is UP (what a Service does): no submission refused, no job failed,
 *   the large job running on a stopping replica is handed back and finishes on the other; right after SIGTERM the
 *   stopping replica's readiness is DOWN while it still serves, and a job posted to it then is run by the other;</li>
 *   <li>kill -9 of a replica running jobs: they are taken over within seconds (its database session ends) and
 *   complete on the other replica; one of them, cancelled through the other replica, ends CANCELLED at once;</li>
 *   <li>kill -9 of a replica while a build runs its planner check: the other replica resumes the build there, with
 *   the unit read back from what the compile step stored, downloading and compiling nothing again;</li>
 *   <li>SIGSTOP of a replica running a job, past the lease, then SIGCONT: the job is taken over and finished by the
 *   other replica, and the thawed replica writes nothing more for it;</li>
 *   <li>a third replica with another secret key refuses to start.</li>
 * </ol>
 * Then every job is read back from the database and its log: each submitted job exists, succeeded exactly once (or
 * was the one cancelled), and no two attempts of a job ever wrote at the same time.
 */
class MultiReplicaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** How long a large job's knowledge download takes: longer than the drain, so a stopping replica hands it back. */
    private static final long LARGE_MILLIS = 12_000;
    /** Jobs the flow of the rolling restart brings at least: two a second, one in twenty large (one per 10 s). */
    private static final int FLOW_JOBS = 80;
    /** The replicas' lease: short, so that the test is quick. */
    private static final String LEASE = System.getProperty("fjr.it.lease", "6s");

    private final List<String> submitted = new CopyOnWriteArrayList<>();
    private final List<Replica> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger serial = new AtomicInteger();
    /** Large jobs of the flow alternate between replicas of their own count: by the serial they would all land on one. */
    private final AtomicInteger largeSerial = new AtomicInteger();
    private String jdbcUrl;
    private InputServer inputs;

    /** One replica: a service process on its own port and work directory, restarted under new log names. */
    private static final class Replica {
        final String name;
        final PackagedService service;
        final Map<String, String> env;
        final AtomicBoolean ready = new AtomicBoolean();
        Process process;
        int generation;

        Replica(String name, PackagedService service, Map<String, String> env) {
            this.name = name;
            this.service = service;
            this.env = env;
        }

        String log() {
            return name + generation;
        }

        long start() throws Exception {
            generation++;
            process = service.start(log(), env);
            long millis = service.awaitReady(process);
            ready.set(true);
            System.out.printf("replica %s ready after %d ms (load %s)%n", log(), millis, load());
            return millis;
        }

        String logText() throws IOException {
            return Files.readString(service.log(log()));
        }
    }

    @Test
    void jobsSurviveRollingRestartsCrashesAndFreezesAndNoneRunsTwice() throws Exception {
        Path root = Files.createTempDirectory("fjr-multi-replica");
        Path kms = Path.of(System.getProperty("fjr.kms.dir", "../work/kms"));
        String key = randomKey();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); InputServer server = new InputServer();
             PackagedService serviceA = new PackagedService(Files.createDirectories(root.resolve("a")));
             PackagedService serviceB = new PackagedService(Files.createDirectories(root.resolve("b")));
             PackagedService serviceC = new PackagedService(Files.createDirectories(root.resolve("c")))) {
            inputs = server;
            jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            inputs.put("/knowledge.ttl", Files.readString(kms.resolve("knowledge.ttl")))
                    .put("/shacl.ttl", Files.readString(kms.resolve("shacl.ttl")))
                    .put("/large/knowledge.ttl", largeKnowledge(20_000))
                    .put("/build/knowledge.ttl", Files.readString(kms.resolve("knowledge.ttl")));
            Replica a = new Replica("a", serviceA, env("replica-a", key));
            Replica b = new Replica("b", serviceB, env("replica-b", key));
            List<Replica> replicas = List.of(a, b);
            a.start();
            b.start();
            Thread watcher = watchReadiness(replicas);
            try {
                rollingRestart(replicas);
                killNine(a, b);
                killNineInPlannerCheck(a, b);
                freeze(a, b);
                anotherKeyRefusesToStart(serviceC, key);
            } finally {
                watcher.interrupt();
                for (Replica r : replicas) {
                    if (r.process != null && r.process.isAlive()) {
                        signal(r.process, "CONT");
                    }
                }
            }
            verifyEveryJob();
        }
    }

    // --- phases ---

    private void rollingRestart(List<Replica> replicas) throws Exception {
        AtomicBoolean flowing = new AtomicBoolean(true);
        Thread flow = new Thread(() -> {
            int i = 0;
            while (flowing.get()) {
                i++;
                submitToReadyReplica(replicas, i % 20 == 0 ? "large" : "small");
                sleep(500);
            }
        }, "job-flow");
        flow.start();
        List<String> handedBack = new ArrayList<>();
        Map<String, String> postedWhileStopping = new LinkedHashMap<>();
        try {
            sleep(5_000);
            for (Replica r : replicas) {
                // a large job that started on this replica just now cannot finish within the drain: handed back
                String large = awaitFreshLargeJobOn(r);
                Instant stop = Instant.now();
                r.process.destroy();
                postedWhileStopping.put(duringShutdownDelay(r), r.env.get("RUNNER_NODE_ID"));
                assertTrue(r.process.waitFor(60, TimeUnit.SECONDS), "replica " + r.log() + " stopped after SIGTERM");
                System.out.printf("replica %s stopped %d ms after SIGTERM (exit %d)%n", r.log(),
                        Duration.between(stop, Instant.now()).toMillis(), r.process.exitValue());
                handedBack.add(large);
                r.start();
                sleep(3_000);
            }
            sleep(3_000);
            // a restart of both is over in well under a minute on an idle machine: the flow goes on until it has
            // brought the number of jobs the verification asks for, however fast the replicas were
            Instant enough = Instant.now().plusSeconds(120);
            while (submitted.size() < FLOW_JOBS && Instant.now().isBefore(enough)) {
                sleep(500);
            }
        } finally {
            flowing.set(false);
            flow.join();
        }
        System.out.printf("rolling restart: %d jobs submitted, %d refused (load %s)%n", submitted.size(),
                refused.get(), load());
        assertEquals(0, refused.get(), "submissions to ready replicas are never refused");
        for (String id : handedBack) {
            JsonNode job = awaitTerminal(id, Duration.ofMinutes(3));
            assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
            JsonNode attempts = job.path("attempts");
            JsonNode first = attempts.get(0);
            JsonNode last = attempts.get(attempts.size() - 1);
            assertEquals("HANDED_BACK", first.path("outcome").asText(), job.toString());
            assertEquals("SUCCEEDED", last.path("outcome").asText(), job.toString());
            assertNotEquals(first.path("replica").asText(), last.path("replica").asText());
            attempts.forEach(a -> assertNotEquals("LOST", a.path("outcome").asText(), "a hand-back is no loss"));
        }
        for (Map.Entry<String, String> posted : postedWhileStopping.entrySet()) {
            // accepted by the stopping replica, claimed by none of its workers: one attempt, on the other replica
            JsonNode job = awaitTerminal(posted.getKey(), Duration.ofMinutes(3));
            assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
            assertEquals(1, job.path("attempts").size(), job.toString());
            assertTrue(!job.path("attempts").get(0).path("replica").asText().startsWith(posted.getValue() + "/"),
                    "a replica that is shutting down claims no job: " + job);
        }
        for (String id : List.copyOf(submitted)) {
            JsonNode job = awaitTerminal(id, Duration.ofMinutes(3));
            assertEquals("SUCCEEDED", job.path("status").asText(), "rolling restart fails no job: " + job);
        }
    }

    /**
     * Right after SIGTERM, within the shutdown delay: the replica's readiness is DOWN at once while its listener still
     * serves, and a job posted to it then (a client that has not yet seen the readiness change) is accepted. Returns
     * that job's id.
     */
    private String duringShutdownDelay(Replica stopping) throws Exception {
        URI readiness = URI.create(stopping.service.base() + "/q/health/ready");
        Instant until = Instant.now().plusMillis(1_500);
        int status = 0;
        while (status != 503 && Instant.now().isBefore(until)) {
            status = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        assertEquals(503, status, "replica " + stopping.log() + ": readiness DOWN first after SIGTERM");
        String id = "while-stopping-" + serial.incrementAndGet();
        HttpResponse<String> response = post(stopping, id, "small");
        assertEquals(202, response.statusCode(), "the listener still serves during the shutdown delay: "
                + response.body());
        submitted.add(id);
        return id;
    }

    private void killNine(Replica survivor, Replica victim) throws Exception {
        List<String> large = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            large.add(submit(survivor, "large"));
        }
        List<String> onVictim = awaitRunningOn(victim, large, 2, Duration.ofSeconds(60));
        assertTrue(onVictim.size() >= 2, "two large jobs run on replica " + victim.log() + ": " + onVictim);
        Instant killed = Instant.now();
        victim.process.destroyForcibly();
        assertTrue(victim.process.waitFor(30, TimeUnit.SECONDS));
        victim.ready.set(false);

        // a cancel sent to the survivor for a job of the dead replica completes at once
        String cancelled = onVictim.get(0);
        Instant cancelAt = Instant.now();
        HttpResponse<String> cancel = HTTP.send(HttpRequest.newBuilder(URI.create(survivor.service.base() + "/jobs/"
                + cancelled + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        long cancelMillis = Duration.between(cancelAt, Instant.now()).toMillis();
        System.out.printf("cancel of a job of the killed replica answered %d in %d ms (load %s)%n",
                cancel.statusCode(), cancelMillis, load());
        assertEquals(200, cancel.statusCode(), cancel.body());
        assertEquals("CANCELLED", JSON.readTree(cancel.body()).path("status").asText());
        submitted.remove(cancelled);

        for (String id : onVictim.subList(1, onVictim.size())) {
            JsonNode job = awaitTerminal(id, Duration.ofMinutes(2));
            assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
            JsonNode lost = job.at("/attempts/0");
            assertEquals("LOST", lost.path("outcome").asText(), job.toString());
            assertTrue(lost.path("detail").asText().contains("is gone (its database session ended)"), job.toString());
            long detection = Duration.between(killed, Instant.parse(lost.path("endedAt").asText())).toMillis();
            System.out.printf("job %s of the killed replica taken over %d ms after kill -9 (load %s)%n", id,
                    detection, load());
            assertTrue(job.at("/attempts/1/replica").asText().startsWith("replica-" + survivor.name + "/"));
        }
        for (String id : large) {
            if (!id.equals(cancelled)) {
                assertEquals("SUCCEEDED", awaitTerminal(id, Duration.ofMinutes(2)).path("status").asText());
            }
        }
        victim.start();
    }

    /** The job's log as the API serves it. */
    private static String jobLog(Replica replica, String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(replica.service.base() + "/jobs/" + id + "/logs"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** How often {@code part} occurs in {@code text}. */
    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    /**
     * kill -9 of a replica while a build runs its planner check, its compile step completed (the unit stored): the
     * other replica resumes the build at the planner check with the unit read back from the stored files; nothing is
     * downloaded or compiled again.
     */
    private void killNineInPlannerCheck(Replica survivor, Replica victim) throws Exception {
        List<String> builds = List.of(submit(victim, "build"), submit(victim, "build"));
        String caught = null;
        Instant deadline = Instant.now().plusSeconds(90);
        while (caught == null && Instant.now().isBefore(deadline)) {
            try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement ps = c.prepareStatement(
                    "SELECT j.id FROM jobs j JOIN job_steps s ON s.job_id = j.id AND s.name = 'planner-check' "
                            + "WHERE j.status = 'RUNNING' AND j.owner LIKE ? AND s.status = 'RUNNING' "
                            + "AND j.id = ANY (?)")) {
                ps.setString(1, "replica-" + victim.name + "/%");
                ps.setArray(2, c.createArrayOf("text", builds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    caught = rs.next() ? rs.getString(1) : null;
                }
            }
            if (caught == null) {
                sleep(20);
            }
        }
        assertTrue(caught != null, "a build reached its planner check on replica " + victim.log());
        victim.process.destroyForcibly();
        assertTrue(victim.process.waitFor(30, TimeUnit.SECONDS));
        victim.ready.set(false);

        JsonNode job = awaitTerminal(caught, Duration.ofMinutes(2));
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals("LOST", job.at("/attempts/0/outcome").asText(), job.toString());
        assertTrue(job.at("/attempts/1/replica").asText().startsWith("replica-" + survivor.name + "/"), job.toString());
        String log = jobLog(survivor, caught);
        String resumed = log.substring(log.indexOf("Starting attempt 2"));
        assertTrue(resumed.contains("resuming at step 7 (planner-check): restoring [compile] from what an earlier "
                + "attempt stored"), resumed);
        assertTrue(resumed.contains("Restored the unit an earlier attempt compiled from its stored files"), resumed);
        assertFalse(resumed.contains("Running step 2/7: download") || resumed.contains("Running step 6/7: compile"),
                "nothing downloaded or compiled again: " + resumed);
        // The other build was on the killed replica too, in whatever step it had reached: lost before its unit was
        // stored it starts over and downloads again, so the input server must see exactly the downloads the builds'
        // logs report, and the caught build's one.
        int downloads = 0;
        for (String id : builds) {
            assertEquals("SUCCEEDED", awaitTerminal(id, Duration.ofMinutes(2)).path("status").asText());
            downloads += occurrences(jobLog(survivor, id), "Running step 2/7: download");
        }
        assertEquals(1, occurrences(log, "Running step 2/7: download"), log);
        assertEquals(downloads, inputs.requests("/build/knowledge.ttl"), "one request per download a build ran");
        System.out.printf("build %s of the killed replica resumed at its planner check on %s (load %s)%n", caught,
                job.at("/attempts/1/replica").asText(), load());
        victim.start();
    }

    private void freeze(Replica frozen, Replica other) throws Exception {
        List<String> large = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            large.add(submit(other, "large"));
        }
        List<String> onFrozen = awaitRunningOn(frozen, large, 1, Duration.ofSeconds(60));
        assertFalse(onFrozen.isEmpty(), "a large job runs on replica " + frozen.log());
        String id = onFrozen.get(0);
        int frozenAttempt = job(other, id).path("attempt").asInt();
        signal(frozen.process, "STOP");
        frozen.ready.set(false);
        Instant stoppedAt = Instant.now();
        // past the lease the other replica takes the job over and runs it again
        JsonNode taken = awaitCondition(other, id, j -> j.path("attempt").asInt() > frozenAttempt,
                Duration.ofSeconds(60));
        JsonNode lostAttempt = taken.at("/attempts/" + (frozenAttempt - 1));
        assertEquals("LOST", lostAttempt.path("outcome").asText(), taken.toString());
        assertTrue(lostAttempt.path("detail").asText().contains("stopped renewing its lease"), taken.toString());
        System.out.printf("job %s of the frozen replica taken over %d ms after SIGSTOP (lease %s), running again "
                + "after %d ms (load %s)%n", id, Duration.between(stoppedAt,
                Instant.parse(lostAttempt.path("endedAt").asText())).toMillis(), LEASE,
                Duration.between(stoppedAt, Instant.now()).toMillis(), load());
        sleep(2_000);
        signal(frozen.process, "CONT");
        JsonNode done = awaitTerminal(id, Duration.ofMinutes(2));
        assertEquals("SUCCEEDED", done.path("status").asText(), done.toString());
        // give the thawed replica every chance to write for the job it lost
        sleep(5_000);
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            long lastOfFrozen = single(c, "SELECT coalesce(max(seq), 0) FROM job_events WHERE job_id = ? "
                    + "AND attempt = " + frozenAttempt, id);
            long takeover = single(c, "SELECT min(seq) FROM job_events WHERE job_id = ? AND attempt IS NULL "
                    + "AND kind = 'status' AND body LIKE '%\"status\":\"QUEUED\"%' AND body LIKE '%\"attempt\":"
                    + frozenAttempt + ",%'", id);
            assertTrue(lastOfFrozen < takeover, "the frozen attempt wrote nothing after it was taken over");
            assertEquals(0, single(c, "SELECT count(*) FROM job_artifacts a WHERE a.job_id = ? AND a.created_at < "
                    + "(SELECT started_at FROM job_attempts WHERE job_id = a.job_id AND attempt = "
                    + (frozenAttempt + 1) + ")", id), "no artifact of the frozen attempt");
        }
        String log = awaitLogLine(frozen, "job " + id + ": attempt " + frozenAttempt + " stopped without writing more");
        System.out.println("frozen replica after SIGCONT: " + log.strip());
        frozen.ready.set(true);
        assertTrue(frozen.process.isAlive(), "the thawed replica keeps running");
        for (String l : large) {
            assertEquals("SUCCEEDED", awaitTerminal(l, Duration.ofMinutes(2)).path("status").asText());
        }
    }

    private void anotherKeyRefusesToStart(PackagedService service, String key) throws Exception {
        String other = randomKey();
        assertNotEquals(key, other);
        Process p = service.start("c1", env("replica-c", other));
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "a replica with another key stops");
        assertNotEquals(0, p.exitValue());
        String log = Files.readString(service.log("c1"));
        assertTrue(log.contains("this replica's secret key is not the key of the other replicas"), log);
    }

    private void verifyEveryJob() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            int succeeded = 0;
            for (String id : submitted) {
                String status = text(c, "SELECT status FROM jobs WHERE id = ?", id);
                assertEquals("SUCCEEDED", status, "job " + id + " exists and succeeded");
                assertEquals(1, single(c, "SELECT count(*) FROM job_attempts WHERE job_id = ? "
                        + "AND outcome = 'SUCCEEDED'", id), "job " + id + " ran to its end once");
                assertEquals(1, single(c, "SELECT count(*) FROM job_events WHERE job_id = ? AND kind = 'log' "
                        + "AND body LIKE '%finished successfully%'", id), "job " + id + " finished once in its log");
                // attempts never overlap: every event of an attempt precedes every event of the next one
                try (PreparedStatement ps = c.prepareStatement("SELECT attempt, min(seq), max(seq) FROM job_events "
                        + "WHERE job_id = ? AND attempt IS NOT NULL GROUP BY attempt ORDER BY attempt")) {
                    ps.setString(1, id);
                    long previousMax = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            assertTrue(rs.getLong(2) > previousMax, "attempt " + rs.getInt(1) + " of job " + id
                                    + " wrote while an earlier attempt still wrote");
                            previousMax = rs.getLong(3);
                        }
                    }
                }
                succeeded++;
            }
            long resumed = single(c, "SELECT count(DISTINCT job_id) FROM job_attempts WHERE outcome IN ('LOST', "
                    + "'HANDED_BACK')", null);
            System.out.printf("verified %d jobs: all succeeded once, %d of them resumed after losing a replica "
                    + "(load %s)%n", succeeded, resumed, load());
            assertTrue(succeeded >= FLOW_JOBS, "a steady flow: " + succeeded);
        }
    }

    // --- submitting ---

    private Map<String, String> env(String node, String key) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl.substring(0, jdbcUrl.indexOf('?')));
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("RUNNER_SECRETS_KEY", key);
        env.put("RUNNER_NODE_ID", node);
        env.put("RUNNER_JOBS_CONCURRENCY", "2");
        env.put("RUNNER_JOBS_LEASE", LEASE);
        env.put("RUNNER_JOBS_HEARTBEAT", System.getProperty("fjr.it.heartbeat", "1s"));
        env.put("RUNNER_JOBS_DRAIN_TIMEOUT", "6s");
        env.put("QUARKUS_SHUTDOWN_DELAY", "2s");
        return env;
    }

    private String body(String id, String kind) {
        String knowledge = kind.equals("large") ? inputs.url("/paced/" + LARGE_MILLIS + "/large/knowledge.ttl")
                : kind.equals("build") ? inputs.url("/build/knowledge.ttl") : inputs.url("/knowledge.ttl");
        String target = kind.equals("build") ? "build" : "validate";
        return "{\"jobId\":\"" + id + "\",\"target\":\"" + target + "\",\"urls\":{\"knowledge\":\"" + knowledge
                + "\",\"shacl\":\"" + inputs.url("/shacl.ttl") + "\"}}";
    }

    /** Submits to a replica whose readiness is UP, as a Kubernetes Service routes; counts any refusal. */
    private void submitToReadyReplica(List<Replica> replicas, String kind) {
        List<Replica> ready = replicas.stream().filter(r -> r.ready.get()).toList();
        if (ready.isEmpty()) {
            return;
        }
        // the replica a job is posted to claims it first (it wakes its own workers), so each replica must be sent large
        // jobs for the rolling restart to find one running on it; every tenth serial alone would pick the same replica
        int turn = kind.equals("large") ? largeSerial.getAndIncrement() : serial.get();
        Replica r = ready.get(turn % ready.size());
        String id = kind + "-" + serial.incrementAndGet();
        try {
            HttpResponse<String> response = post(r, id, kind);
            if (response.statusCode() == 202) {
                submitted.add(id);
            } else {
                refused.incrementAndGet();
                System.out.printf("submission %s to %s refused: %d %s%n", id, r.log(), response.statusCode(),
                        response.body());
            }
        } catch (IOException | InterruptedException e) {
            refused.incrementAndGet();
            System.out.printf("submission %s to %s failed: %s%n", id, r.log(), e);
        }
    }

    private String submit(Replica r, String kind) throws Exception {
        String id = kind + "-" + serial.incrementAndGet();
        HttpResponse<String> response = post(r, id, kind);
        assertEquals(202, response.statusCode(), response.body());
        submitted.add(id);
        return id;
    }

    private HttpResponse<String> post(Replica r, String id, String kind) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(r.service.base() + "/jobs"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(id, kind))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A large job of the flow that started on {@code on} within the last 3 s: its download alone lasts longer than the
     * rest of the drain, so the replica must hand it back when it stops.
     */
    private String awaitFreshLargeJobOn(Replica on) throws Exception {
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement ps = c.prepareStatement(
                    "SELECT j.id FROM jobs j JOIN job_attempts a ON a.job_id = j.id AND a.attempt = j.attempt "
                            + "WHERE j.status = 'RUNNING' AND j.owner LIKE ? AND j.id LIKE 'large-%' "
                            + "AND a.started_at > now() - interval '3 seconds' LIMIT 1")) {
                ps.setString(1, "replica-" + on.name + "/%");
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            sleep(100);
        }
        throw new AssertionError("no large job started on replica " + on.log());
    }

    /** Waits until {@code count} of {@code ids} run on {@code replica}; returns those (fewer if the wait ran out). */
    private List<String> awaitRunningOn(Replica replica, List<String> ids, int count, Duration wait)
            throws Exception {
        Instant deadline = Instant.now().plus(wait);
        List<String> on = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            on.clear();
            try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM jobs WHERE status = 'RUNNING' AND owner LIKE ? AND id = ANY (?) ORDER BY id")) {
                ps.setString(1, "replica-" + replica.name + "/%");
                ps.setArray(2, c.createArrayOf("text", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        on.add(rs.getString(1));
                    }
                }
            }
            if (on.size() >= count) {
                return List.copyOf(on);
            }
            sleep(100);
        }
        return List.copyOf(on);
    }

    // --- reading back ---

    private JsonNode job(Replica r, String id) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(r.service.base() + "/jobs/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The job as any ready replica serves it, once terminal. */
    private JsonNode awaitTerminal(String id, Duration wait) throws Exception {
        Instant deadline = Instant.now().plus(wait);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                String status = text(c, "SELECT status FROM jobs WHERE id = ?", id);
                if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status)) {
                    return record(id);
                }
                last = status;
            }
            sleep(200);
        }
        throw new AssertionError("job " + id + " not terminal: " + last + " " + record(id));
    }

    private JsonNode awaitCondition(Replica r, String id, java.util.function.Predicate<JsonNode> condition,
                                    Duration wait) throws Exception {
        Instant deadline = Instant.now().plus(wait);
        JsonNode j = null;
        while (Instant.now().isBefore(deadline)) {
            j = job(r, id);
            if (condition.test(j)) {
                return j;
            }
            sleep(200);
        }
        throw new AssertionError("job " + id + ": " + j);
    }

    /** The job's API record, read through a replica that is ready (waiting for one during a restart). */
    private JsonNode record(String id) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            Optional<Replica> ready = all.stream().filter(r -> r.ready.get()).findFirst();
            if (ready.isPresent()) {
                try {
                    return job(ready.get(), id);
                } catch (IOException e) {
                    // it went down between the readiness poll and this request: ask again
                }
            }
            sleep(200);
        }
        throw new AssertionError("no replica ready to read job " + id);
    }

    private String awaitLogLine(Replica r, String text) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> line = r.logText().lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            sleep(200);
        }
        throw new AssertionError("replica " + r.log() + " never logged '" + text + "'");
    }

    private Thread watchReadiness(List<Replica> replicas) {
        all.addAll(replicas);
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (Replica r : replicas) {
                    boolean up;
                    try {
                        up = HTTP.send(HttpRequest.newBuilder(URI.create(r.service.base() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200;
                    } catch (IOException e) {
                        up = false;
                    } catch (InterruptedException e) {
                        return;
                    }
                    r.ready.set(up);
                }
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "readiness-watcher");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // --- helpers ---

    private static long single(Connection c, String sql, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setString(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String text(Connection c, String sql, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void signal(Process p, String signal) throws Exception {
        // the shell's kill: a minimal machine may have no kill executable
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + p.pid()).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill -" + signal);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A knowledge graph of {@code classes} classes in a tree (rdfs:subClassOf), about 80 bytes per class. */
    private static String largeKnowledge(int classes) {
        StringBuilder ttl = new StringBuilder("@prefix : <https://industry-fusion.org/base/v0.1/> .\n"
                + "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                + "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
                + "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n:airFilter rdf:type rdfs:Class .\n");
        for (int i = 1; i < classes; i++) {
            ttl.append(":c").append(i).append(" rdf:type owl:Class ; rdfs:subClassOf ")
                    .append(i == 1 ? ":airFilter" : ":c" + (i / 2)).append(" .\n");
        }
        return ttl.toString();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
