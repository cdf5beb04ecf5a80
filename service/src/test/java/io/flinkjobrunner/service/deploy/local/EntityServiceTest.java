package io.flinkjobrunner.service.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.topics.GroupCommitPublisher;
import io.flinkjobrunner.topics.TopicPublishException;
import io.flinkjobrunner.topics.TopicRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class EntityServiceTest {

    @Test
    void aGroupNotAcknowledgedInTimeIsA503NamingTheWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommitPublisher commits = new GroupCommitPublisher(records -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 100, Duration.ofMillis(50), "test-commits")) {
            CompletionException failure = assertThrows(CompletionException.class,
                    () -> commits.submit(List.of(new TopicRecord("t", "k", "{}", null))).handle((ok, e) -> {
                        throw EntityService.unavailable(e);
                    }).join());
            ApiProblemException problem = (ApiProblemException) failure.getCause();
            assertEquals(Reason.SERVICE_UNAVAILABLE, problem.reason());
            assertEquals("the local engine's Kafka did not take the entities: publishing was not acknowledged within "
                    + "PT0.05S; retry", problem.getMessage());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFailedGroupIsA503WithTheBrokersReason() {
        ApiProblemException problem = EntityService.unavailable(new CompletionException(
                new TopicPublishException("broker down", null)));
        assertEquals(Reason.SERVICE_UNAVAILABLE, problem.reason());
        assertEquals("the local engine's Kafka did not take the entities: broker down; retry", problem.getMessage());
    }
}
