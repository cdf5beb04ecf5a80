package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.store.FencingToken;
import io.flinkjobrunner.service.state.OwnershipLostException;

import java.time.Duration;

/**
 * What this replica knows about its ownership of one running job: the run's fencing token, until when (by the
 * monotonic clock, which keeps counting while the process is frozen) the last lease renewal guarantees that no other
 * replica can have taken the job, and whether the job was lost. Losing it interrupts the run's thread.
 *
 * <p>Writes to PostgreSQL are fenced in their own transaction by the token. Changes PostgreSQL cannot fence (Kubernetes
 * objects) call {@link #confirm}: they go ahead only while the last renewal still covers them, i.e. strictly before the
 * lease any other replica waits for has expired.
 */
final class RunOwnership {

    private final FencingToken token;
    private final Thread thread;
    private final long leaseNanos;
    private final long marginNanos;
    private volatile long coveredUntil;
    private volatile String lostReason;
    private volatile boolean handedBack;
    private volatile boolean completed;
    private boolean ended;

    /**
     * @param claimedAt {@link System#nanoTime()} taken before the claim's transaction started (its lease counts from
     *     the server's clock after that)
     */
    RunOwnership(FencingToken token, Thread thread, Duration lease, long claimedAt) {
        this.token = token;
        this.thread = thread;
        this.leaseNanos = lease.toNanos();
        this.marginNanos = lease.toNanos() / 3;
        this.coveredUntil = claimedAt + leaseNanos - marginNanos;
    }

    FencingToken token() {
        return token;
    }

    /** The lease was renewed by a statement sent at {@code sentAt} ({@link System#nanoTime()}). */
    synchronized void renewed(long sentAt) {
        coveredUntil = Math.max(coveredUntil, sentAt + leaseNanos - marginNanos);
        notifyAll();
    }

    /** True once the job was lost (taken over, ended by another replica, handed back). */
    boolean lost() {
        return lostReason != null;
    }

    /** True if the job was lost because this replica gave it back at shutdown. */
    boolean handedBack() {
        return handedBack;
    }

    String lostReason() {
        return lostReason;
    }

    /** Marks the job lost and interrupts its run; the first reason wins. */
    void lose(String reason) {
        lose(reason, false);
    }

    /** Marks the job handed back (this replica requeued it at shutdown) and interrupts its run. */
    void handBack(String reason) {
        lose(reason, true);
    }

    private synchronized void lose(String reason, boolean back) {
        if (lostReason != null || completed) {
            return;
        }
        lostReason = reason;
        handedBack = back;
        notifyAll();
        if (!ended) {
            thread.interrupt();
        }
    }

    /** The run's final state was recorded: the job can no longer be lost by this run. */
    synchronized void complete() {
        completed = true;
    }

    boolean completed() {
        return completed;
    }

    /** The run returned: its thread belongs to the next job now and must not be interrupted for this one. */
    synchronized void ended() {
        ended = true;
    }

    /** True if the thread running the job died while the run had not ended. */
    synchronized boolean threadDied() {
        return !ended && !thread.isAlive();
    }

    /** Throws if the job was lost. */
    void check() {
        String reason = lostReason;
        if (reason != null) {
            throw new OwnershipLostException("job " + token.jobId() + ": " + reason);
        }
    }

    /**
     * Before a change PostgreSQL cannot fence: returns while the last renewal covers now; waits up to {@code wait} for
     * the next renewal otherwise (e.g. after the process was frozen), then gives the job up.
     */
    void confirm(Duration wait) {
        check();
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            while (System.nanoTime() >= coveredUntil) {
                check();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    lose("its lease could not be renewed in time: another replica may take it over");
                    check();
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    check();
                    throw new OwnershipLostException("job " + token.jobId() + ": interrupted while confirming "
                            + "its ownership");
                }
            }
        }
        check();
    }
}
