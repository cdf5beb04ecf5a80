package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.deploy.DeployProgress;
import io.flinkjobrunner.service.state.OwnershipLostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A {@link DeployProgress} that records log lines and status events and cancels when a predicate says so; optionally
 * its job is lost (another replica took it over) after a number of changes to the cluster.
 */
public final class RecordingProgress implements DeployProgress {

    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> statuses = new CopyOnWriteArrayList<>();
    private final Predicate<RecordingProgress> cancelWhen;
    private final List<Map.Entry<String, Runnable>> triggers = new CopyOnWriteArrayList<>();
    final AtomicInteger changes = new AtomicInteger();
    private volatile int changesBeforeLoss = Integer.MAX_VALUE;

    public RecordingProgress(Predicate<RecordingProgress> cancelWhen) {
        this.cancelWhen = cancelWhen;
    }

    public RecordingProgress() {
        this(p -> false);
    }

    /** Runs {@code action} whenever a line starting with {@code prefix} is logged (e.g. to move a clock). */
    public RecordingProgress when(String prefix, Runnable action) {
        triggers.add(Map.entry(prefix, action));
        return this;
    }

    @Override
    public void log(String line) {
        lines.add(line);
        triggers.stream().filter(t -> line.startsWith(t.getKey())).forEach(t -> t.getValue().run());
    }

    @Override
    public void status(Map<String, Object> fields) {
        statuses.add(fields);
    }

    @Override
    public boolean cancelRequested() {
        return cancelWhen.test(this);
    }

    /** The job is lost once {@code count} changes were made: every further change is refused. */
    RecordingProgress lostAfter(int count) {
        changesBeforeLoss = count;
        return this;
    }

    @Override
    public void beforeChange() {
        if (changes.incrementAndGet() > changesBeforeLoss) {
            throw new OwnershipLostException("job d1 is no longer run by replica-a/1 (attempt 1): attempt 2 by "
                    + "replica-b/1 runs it now");
        }
    }
}
