package io.flinkjobrunner.service.it;

import io.flinkjobrunner.service.testing.InputServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Quick start with curl" works as written: every {@code sh} block of the section runs in one bash, in
 * order, against the packaged service ({@code java -jar quarkus-run.jar}, local engine, embedded PostgreSQL) on a
 * free port, with the sample inputs of {@code work/kms} served on another. The block that starts the service and the
 * input server is done by the test itself, with the same settings; the others run unchanged, only {@code FJR} and
 * {@code KMS} name the ports. The output must show the whole walk: validate, deploy, the violating entity's alert (JSON
 * set and SSE stream), redeploy from a savepoint, the fix clearing the alert, undeploy ending the stream.
 */
class ReadmeQuickStartIT {

    private static final String SECTION = "## Quick start with curl";
    private static final String START_SERVICE =
            "RUNNER_DOWNLOAD_ALLOW_HOSTS=127.0.0.1 java -jar service/target/quarkus-app/quarkus-run.jar &";
    private static final String SERVE_INPUTS = "python3 -m http.server 9000 --bind 127.0.0.1 --directory work/kms &";
    /** The whole walk: two deploys of about half a minute each on an idle machine, much more on a loaded one. */
    private static final Duration WALK = Duration.ofMinutes(12);
    private static final String TOO_HIGH =
            "MaxInclusiveConstraintComponent(https://industry-fusion.org/base/v0.1/operating_hours[0])";

    @Test
    void quickStartRunsAsWrittenAgainstThePackagedService() throws Exception {
        Path repo = Path.of(System.getProperty("fjr.repo.dir", "..")).toAbsolutePath().normalize();
        List<String> blocks = shellBlocks(Files.readString(repo.resolve("README.md")));
        String start = blocks.get(0);
        assertTrue(start.contains(START_SERVICE) && start.contains(SERVE_INPUTS),
                "the first block starts the service and the input server as this test does:\n" + start);

        Path workDir = Files.createTempDirectory("fjr-it-quickstart");
        try (InputServer inputs = new InputServer(); PackagedService service = new PackagedService(workDir)) {
            try (Stream<Path> files = Files.list(repo.resolve("work/kms"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    inputs.put("/" + f.getFileName(), Files.readString(f));
                }
            }
            long ready = service.awaitReady(service.start("service", Map.of()));
            System.out.printf("packaged service ready after %d ms%n", ready);

            // every block after the start block, as written; "wait" lets the backgrounded alert stream finish
            Path script = workDir.resolve("quickstart.sh");
            Files.writeString(script, "set -euo pipefail\n" + String.join("\n", blocks.subList(1, blocks.size()))
                    + "\nwait\n");
            String kms = inputs.url("/knowledge.ttl").replace("/knowledge.ttl", "");
            String out = run(script, repo, Map.of("FJR", service.base(), "KMS", kms), service.log("service"));
            System.out.println(out);

            // validate
            assertInOrder(out, "HTTP/1.1 202 Accepted", "{\"jobId\":\"demo-1\",\"status\":\"QUEUED\"}",
                    "event: done\ndata: {\"status\":\"SUCCEEDED\"}", "\"type\":\"https://flinkjobrunner.io/problems/"
                            + "job-already-terminal\"");
            // deploy, alert, redeploy, fix, undeploy (what the script printed itself; the SSE stream interleaves)
            assertInOrder(out, "data: {\"status\":\"SUCCEEDED\"}\n{\"deployments\":[",
                    "\"name\":\"shacl\",\"backend\":\"local\",\"status\":\"RUNNING\"",
                    "{\"deployment\":\"shacl\",\"entities\":1,\"attributes\":1,\"warnings\":[]}",
                    "\"text\":\"Value 200 of https://industry-fusion.org/base/v0.1/operating_hours is not <= 155\"}]}",
                    "\"stateFrom\":\"savepoint\"",
                    "{\"deployment\":\"shacl\",\"entities\":1,\"attributes\":1,\"warnings\":[]}",
                    "\"alerts\":[]}",
                    "\"status\":\"UNDEPLOYED\"");
            // the live stream: the alert, its clear after the fix, the end at undeploy
            assertInOrder(out, "event: alert\ndata: {\"resource\":\"urn:filter:1\",\"event\":\"" + TOO_HIGH + "\"",
                    "event: clear\ndata: {\"resource\":\"urn:filter:1\",\"event\":\"" + TOO_HIGH + "\"}",
                    "event: done\ndata: {\"status\":\"UNDEPLOYED\"}");
        }
    }

    /** The bodies of the {@code sh} code blocks in the quick-start section, in order. */
    static List<String> shellBlocks(String readme) {
        int from = readme.indexOf(SECTION);
        assertTrue(from >= 0, "README has no section " + SECTION);
        int to = readme.indexOf("\n## ", from + SECTION.length());
        String section = readme.substring(from, to < 0 ? readme.length() : to);
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?ms)^```sh\n(.*?)^```$").matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertTrue(blocks.size() >= 2, "the quick start has its start block and commands: " + blocks);
        return blocks;
    }

    /**
     * "The same without a service": {@code bin/fjr compile} as the README writes it, from a cold JVM on the built tree,
     * writes the unit of {@code work/kms}, with the class-data archive the build made (its classes come from the
     * archive, not from jars: a stale archive is silently ignored by the JVM and costs seconds), and with a heap the
     * caller caps below the script's 1 GiB initial heap (the JVM would refuse both together).
     */
    @Test
    void fjrCompileRunsAsWrittenFromAColdJvmWithTheBuildsClassArchive() throws Exception {
        Path repo = Path.of(System.getProperty("fjr.repo.dir", "..")).toAbsolutePath().normalize();
        assertTrue(Files.readString(repo.resolve("README.md")).contains(
                "`bin/fjr compile --knowledge K --shacl S -o DIR`"), "the README's command");
        Path dir = Files.createTempDirectory("fjr-it-cli");
        Path classes = dir.resolve("classes.log");
        for (String javaOpts : List.of("-Xlog:class+load=info:file=" + classes, "-Xmx200m")) {
            Path unit = dir.resolve("unit" + javaOpts.length());
            ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/fjr").toString(), "compile", "--knowledge",
                    repo.resolve("work/kms/knowledge.ttl").toString(), "--shacl",
                    repo.resolve("work/kms/shacl.ttl").toString(), "-o", unit.toString())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("FJR_JAVA_OPTS", javaOpts);
            Process fjr = pb.start();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(fjr.getInputStream(), buffer), "fjr-output");
            reader.start();
            boolean ended = fjr.waitFor(3, TimeUnit.MINUTES);
            if (!ended) {
                fjr.destroyForcibly();
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            String out;
            synchronized (buffer) {
                out = buffer.toString(StandardCharsets.UTF_8);
            }
            assertTrue(ended && fjr.exitValue() == 0, "bin/fjr compile with FJR_JAVA_OPTS=" + javaOpts + ":\n" + out);
            assertTrue(out.startsWith("coverage: ") && !out.contains("class-data archive"), out);
            assertTrue(Files.readString(unit.resolve("unit.sql")).contains("EXECUTE STATEMENT SET"), out);
        }
        List<String> loaded = Files.readAllLines(classes);
        long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        assertTrue(shared > loaded.size() * 0.8, shared + " of " + loaded.size()
                + " classes from the class-data archive; the others:\n" + String.join("\n", loaded.stream()
                        .filter(l -> !l.contains("shared objects file")).limit(20).toList()));
        System.out.printf("bin/fjr compile: %d of %d classes from the class-data archive%n", shared, loaded.size());
    }

    /** Runs the script with bash in {@code dir}; returns stdout and stderr once bash and its children are done. */
    private static String run(Path script, Path dir, Map<String, String> env, Path serviceLog) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process bash = pb.start();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(bash.getInputStream(), buffer), "quickstart-output");
        reader.start();
        boolean ended = bash.waitFor(WALK.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
            bash.destroyForcibly();
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        String out;
        synchronized (buffer) {
            out = buffer.toString(StandardCharsets.UTF_8);
        }
        String context = out + "\n--- service log (tail) ---\n" + tail(serviceLog);
        assertTrue(ended, "the quick start did not end within " + WALK.toMinutes() + " min:\n" + context);
        assertEquals(0, bash.exitValue(), "the quick start failed:\n" + context);
        return out;
    }

    private static void copy(InputStream in, ByteArrayOutputStream buffer) {
        byte[] chunk = new byte[8192];
        try (in) {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                synchronized (buffer) {
                    buffer.write(chunk, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void assertInOrder(String out, String... expected) {
        int at = 0;
        for (String e : expected) {
            int found = out.indexOf(e, at);
            assertTrue(found >= 0, "expected, after offset " + at + ": " + e + "\nin:\n" + out);
            at = found + e.length();
        }
    }
}
