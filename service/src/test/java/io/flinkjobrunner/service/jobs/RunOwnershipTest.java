package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.store.FencingToken;
import io.flinkjobrunner.service.state.OwnershipLostException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica's view of its ownership of a job: changes PostgreSQL cannot fence go ahead only while the last lease
 * renewal covers them (a process that was frozen past that point waits for a renewal or gives the job up), and losing
 * the job interrupts its run, but never the next job of the same thread.
 */
class RunOwnershipTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final FencingToken TOKEN = new FencingToken("j", "node/1", 1, LEASE);

    @Test
    void aChangeGoesAheadWhileTheLastRenewalCoversIt() {
        RunOwnership run = new RunOwnership(TOKEN, Thread.currentThread(), LEASE, System.nanoTime());
        assertDoesNotThrow(() -> run.confirm(Duration.ofMillis(10)));
        assertFalse(run.lost());
    }

    @Test
    void afterAFreezePastTheCoveredTimeAChangeWaitsForTheNextRenewal() throws Exception {
        long frozenSince = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
        RunOwnership run = new RunOwnership(TOKEN, Thread.currentThread(), LEASE, frozenSince);
        Thread heartbeat = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            run.renewed(System.nanoTime());
        });
        heartbeat.start();
        long started = System.nanoTime();
        run.confirm(Duration.ofSeconds(10));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(150), "waited for the renewal");
        assertFalse(run.lost());
        heartbeat.join();
    }

    @Test
    void withoutARenewalInTimeTheJobIsGivenUp() {
        long frozenSince = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
        RunOwnership run = new RunOwnership(TOKEN, new Thread(() -> { }), LEASE, frozenSince);
        OwnershipLostException e = assertThrows(OwnershipLostException.class,
                () -> run.confirm(Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("could not be renewed in time"), e.getMessage());
        assertTrue(run.lost());
        assertThrows(OwnershipLostException.class, run::check);
    }

    @Test
    void losingTheJobInterruptsItsRunButNotTheThreadsNextJob() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            started.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        worker.start();
        started.await();
        RunOwnership run = new RunOwnership(TOKEN, worker, LEASE, System.nanoTime());
        run.lose("taken over");
        worker.join(5_000);
        assertTrue(interrupted.get());
        assertTrue(run.lost());
        assertFalse(run.handedBack());

        RunOwnership ended = new RunOwnership(TOKEN, Thread.currentThread(), LEASE, System.nanoTime());
        ended.ended();
        ended.lose("late");
        assertFalse(Thread.interrupted(), "the thread runs another job now");

        RunOwnership completed = new RunOwnership(TOKEN, Thread.currentThread(), LEASE, System.nanoTime());
        completed.complete();
        completed.lose("late");
        assertFalse(completed.lost(), "a recorded final state stays");
        assertFalse(Thread.interrupted());
    }
}
