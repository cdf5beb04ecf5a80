package io.flinkjobrunner.service.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flinkjobrunner.service.problems.ApiProblemException;
import io.flinkjobrunner.service.problems.Reason;
import io.flinkjobrunner.topics.TopicPublishException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EntityServiceTest {

    @Test
    void aGroupNotAcknowledgedInTimeIsA503NamingTheWait() {
        CompletableFuture<Void> neverAcknowledged = new CompletableFuture<Void>().orTimeout(10, TimeUnit.MILLISECONDS);
        CompletionException failure = assertThrows(CompletionException.class,
                () -> neverAcknowledged.handle((ok, e) -> {
                    throw EntityService.unavailable(e, Duration.ofSeconds(20));
                }).join());
        ApiProblemException problem = (ApiProblemException) failure.getCause();
        assertEquals(Reason.SERVICE_UNAVAILABLE, problem.reason());
        assertEquals("the local engine's Kafka did not take the entities: no acknowledgement within PT20S; retry",
                problem.getMessage());
    }

    @Test
    void aFailedGroupIsA503WithTheBrokersReason() {
        ApiProblemException problem = EntityService.unavailable(new CompletionException(
                new TopicPublishException("broker down", null)), Duration.ofSeconds(20));
        assertEquals(Reason.SERVICE_UNAVAILABLE, problem.reason());
        assertEquals("the local engine's Kafka did not take the entities: broker down; retry", problem.getMessage());
    }
}
