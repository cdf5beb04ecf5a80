package io.flinkjobrunner.service.testing;

import io.flinkjobrunner.service.targets.InputFile;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.Target;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A target for framework tests ("testing"): writes lines, optionally waits at a gate the test controls, optionally
 * fails, and stores an artifact. Behaviour per job is registered by the test under the job id.
 */
@ApplicationScoped
public class TestingTarget implements Target {

    /**
     * What a job of this target does.
     *
     * @param downloaded inputs (name -> bytes) the first step reports as downloaded, in the order of their names
     *                   (a job reports its inputs in download order; {@code Map.of} has none from one JVM to the next)
     * @param error thrown by the last step instead of producing its artifact (an {@link Error} is thrown as is)
     */
    public record Script(int lines, CountDownLatch gate, String failWith, long lineDelayMillis, String note,
                         Map<String, Long> downloaded, Throwable error) {

        public Script(int lines, CountDownLatch gate, String failWith, long lineDelayMillis, String note) {
            this(lines, gate, failWith, lineDelayMillis, note, Map.of(), null);
        }

        public Script(int lines, CountDownLatch gate, String failWith, long lineDelayMillis) {
            this(lines, gate, failWith, lineDelayMillis, null);
        }
    }

    private static final Map<String, Script> SCRIPTS = new ConcurrentHashMap<>();

    /** Registers the behaviour of a job before it is submitted. */
    public static void script(String jobId, Script script) {
        SCRIPTS.put(jobId, script);
    }

    @Override
    public String name() {
        return "testing";
    }

    @Override
    public String description() {
        return "test-only target";
    }

    @Override
    public List<Step> steps() {
        return List.of(new Emit(), new Gate(), new Produce());
    }

    static Script scriptOf(StepContext ctx) {
        return SCRIPTS.getOrDefault(ctx.jobId(), new Script(3, null, null, 0));
    }

    static final class Emit implements Step {
        @Override
        public String name() {
            return "emit";
        }

        @Override
        public void run(StepContext ctx) throws Exception {
            Script s = scriptOf(ctx);
            Path scratch = Files.writeString(ctx.workspace().resolve("scratch.txt"), "private to " + ctx.jobId());
            new TreeMap<>(s.downloaded()).forEach((name, bytes) -> ctx.inputDownloaded(new InputFile(name,
                    scratch, bytes, "0".repeat(64), "http://127.0.0.1:9/" + name)));
            long started = System.nanoTime();
            for (int i = 1; i <= s.lines(); i++) {
                ctx.log().info("line " + i);
                if (s.lineDelayMillis() > 0) {
                    // paced on a fixed schedule (line i at i delays after the start), so a late wake-up on a busy
                    // machine does not lower the rate the job offers
                    long wait = started + i * s.lineDelayMillis() * 1_000_000L - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    ctx.checkCancelled();
                }
            }
 if (s.note() != null) {
                ctx.log().warn(s.note());
            }
            ctx.log().info("urls seen: " + String.join(" ", ctx.inputUrls().values()));
        }
    }

    static final class Gate implements Step {
        @Override
        public String name() {
            return "gate";
        }

        @Override
        public void run(StepContext ctx) throws Exception {
            CountDownLatch gate = scriptOf(ctx).gate();
            if (gate == null) {
                return;
            }
            ctx.log().info("waiting at the gate");
            while (!gate.await(20, TimeUnit.MILLISECONDS)) {
                ctx.checkCancelled();
            }
        }
    }

    static final class Produce implements Step {
        @Override
        public String name() {
            return "produce";
        }

        @Override
        public void run(StepContext ctx) throws Exception {
            Script s = scriptOf(ctx);
            if (s.failWith() != null) {
                throw new StepFailedException(s.failWith());
            }
            if (s.error() instanceof Error e) {
                throw e;
            }
            if (s.error() != null) {
                throw (Exception) s.error();
            }
            ctx.artifacts().put("result.txt", "text/plain", ("done " + ctx.jobId()).getBytes(StandardCharsets.UTF_8));
        }
    }
}
