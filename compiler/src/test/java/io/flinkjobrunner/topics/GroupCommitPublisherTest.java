package io.flinkjobrunner.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Group commit against a target whose acknowledgement the test holds back. */
class GroupCommitPublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Records every group it is given; the first group waits until {@link #release} is counted down. */
    private static final class HeldTarget implements TopicPublisher {
        final List<List<TopicRecord>> groups = new CopyOnWriteArrayList<>();
        final CountDownLatch firstArrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile RuntimeException failure;

        @Override
        public void publish(List<TopicRecord> records) {
            groups.add(List.copyOf(records));
            firstArrived.countDown();
            await(release);
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Test
    void callersThatArriveWhileAGroupIsInFlightShareTheNextGroupInArrivalOrder() throws Exception {
        HeldTarget target = new HeldTarget();
        try (GroupCommitPublisher commits = new GroupCommitPublisher(target, 1_000, WAIT, "test-commits")) {
            CompletableFuture<Void> first = commits.submit(records("a", 1));
            await(target.firstArrived);
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (String caller : List.of("b", "c", "d", "e")) {
                waiting.add(commits.submit(records(caller, 3)));
            }
            assertFalse(first.isDone(), "acknowledged before the broker answered");
            waiting.forEach(w -> assertFalse(w.isDone()));
            target.release.countDown();
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (CompletableFuture<Void> w : waiting) {
                w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertEquals(2, target.groups.size(), "one group in flight, the four callers that queued behind it");
            assertEquals(List.of("a0"), keys(target.groups.get(0)));
            assertEquals(List.of("b0", "b1", "b2", "c0", "c1", "c2", "d0", "d1", "d2", "e0", "e1", "e2"),
                    keys(target.groups.get(1)));
            assertEquals(2, commits.groups());
            assertEquals(5, commits.callers());
        }
    }

    @Test
    void aGroupStaysWithinTheRecordLimitAndALargerCallerIsAGroupOfItsOwn() throws Exception {
        HeldTarget target = new HeldTarget();
        try (GroupCommitPublisher commits = new GroupCommitPublisher(target, 4, WAIT, "test-commits")) {
            CompletableFuture<Void> first = commits.submit(records("a", 1));
            await(target.firstArrived);
            List<CompletableFuture<Void>> waiting = List.of(commits.submit(records("b", 2)),
                    commits.submit(records("c", 2)), commits.submit(records("d", 6)), commits.submit(records("e", 1)));
            target.release.countDown();
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (CompletableFuture<Void> w : waiting) {
                w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertEquals(List.of(List.of("a0"), List.of("b0", "b1", "c0", "c1"),
                    List.of("d0", "d1", "d2", "d3", "d4", "d5"), List.of("e0")),
                    target.groups.stream().map(GroupCommitPublisherTest::keys).toList());
        }
    }

    @Test
    void aFailedGroupFailsEveryCallerInItAndTheNextGroupStillRuns() throws Exception {
        HeldTarget target = new HeldTarget();
        TopicPublishException broken = new TopicPublishException("cannot publish to topic 't': broker down", null);
        target.failure = broken;
        try (GroupCommitPublisher commits = new GroupCommitPublisher(target, 1_000, WAIT, "test-commits")) {
            CompletableFuture<Void> first = commits.submit(records("a", 1));
            await(target.firstArrived);
            CompletableFuture<Void> second = commits.submit(records("b", 1));
            target.release.countDown();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertSame(broken, failed.getCause());
            assertSame(broken, assertThrows(ExecutionException.class,
                    () -> second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).getCause());
            target.failure = null;
            commits.publish(records("c", 1));
            assertEquals(List.of("c0"), keys(target.groups.get(target.groups.size() - 1)));
        }
    }

    @Test
    void publishWaitsForTheAcknowledgementAndRethrowsTheGroupsFailure() throws Exception {
        HeldTarget target = new HeldTarget();
        try (GroupCommitPublisher commits = new GroupCommitPublisher(target, 1_000, WAIT, "test-commits")) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            CountDownLatch returned = new CountDownLatch(1);
            Thread caller = new Thread(() -> {
                try {
                    commits.publish(records("a", 2));
                } catch (Throwable t) {
                    outcome.set(t);
                }
                returned.countDown();
            });
            caller.start();
            await(target.firstArrived);
            assertFalse(returned.await(200, TimeUnit.MILLISECONDS), "publish returned before the acknowledgement");
            target.failure = new TopicPublishException("publishing to topic 't' was not acknowledged", null);
            target.release.countDown();
            assertTrue(returned.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals("publishing to topic 't' was not acknowledged", outcome.get().getMessage());
        }
    }

    @Test
    void aCallerThatIsNotAcknowledgedInTimeFails() {
        HeldTarget target = new HeldTarget();
        try (GroupCommitPublisher commits = new GroupCommitPublisher(target, 1_000, Duration.ofMillis(200),
                "test-commits")) {
            TopicPublishException failure = assertThrows(TopicPublishException.class,
                    () -> commits.publish(records("a", 1)));
            assertEquals("publishing was not acknowledged within PT0.2S", failure.getMessage());
            target.release.countDown();
        }
    }

    @Test
    void aSubmittedCallerThatIsNotAcknowledgedInTimeFailsToo() {
        HeldTarget target = new HeldTarget();
        try (GroupCommitPublisher commits = new GroupCommitPublisher(target, 1_000, Duration.ofMillis(200),
                "test-commits")) {
            CompletableFuture<Void> done = commits.submit(records("a", 1));
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(TopicPublishException.class, failure.getCause());
            assertEquals("publishing was not acknowledged within PT0.2S", failure.getCause().getMessage());
            target.release.countDown();
        }
    }

    @Test
    void closePublishesWhatIsQueuedAndRefusesNewRecords() throws Exception {
        HeldTarget target = new HeldTarget();
        GroupCommitPublisher commits = new GroupCommitPublisher(target, 1_000, WAIT, "test-commits");
        CompletableFuture<Void> first = commits.submit(records("a", 1));
        await(target.firstArrived);
        CompletableFuture<Void> queued = commits.submit(records("b", 1));
        Thread closer = new Thread(commits::close);
        closer.start();
        target.release.countDown();
        closer.join(WAIT.toMillis());
        first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        queued.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of(List.of("a0"), List.of("b0")),
                target.groups.stream().map(GroupCommitPublisherTest::keys).toList());
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> commits.submit(records("c", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("the publisher is closed", refused.getCause().getMessage());
    }

    @Test
    void nothingToPublishIsAcknowledgedAtOnce() throws Exception {
        HeldTarget target = new HeldTarget();
        try (GroupCommitPublisher commits = new GroupCommitPublisher(target, 1_000, WAIT, "test-commits")) {
            assertTrue(commits.submit(List.of()).isDone());
            assertEquals(0, target.groups.size());
            target.release.countDown();
        }
    }

    private static List<TopicRecord> records(String caller, int count) {
        List<TopicRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new TopicRecord("t", caller + i, "{}", null));
        }
        return records;
    }

    private static List<String> keys(List<TopicRecord> records) {
        return records.stream().map(TopicRecord::key).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("not counted down within " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
