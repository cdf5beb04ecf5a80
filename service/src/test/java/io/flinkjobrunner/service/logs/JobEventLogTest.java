package io.flinkjobrunner.service.logs;

import io.flinkjobrunner.service.store.FencingToken;
import io.flinkjobrunner.service.store.NewEvent;
import io.flinkjobrunner.service.store.StoredEvent;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.OtherReplicaJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event writer outlives an {@link Error} thrown while it writes, as the {@code OutOfMemoryError} of a heap
 * exhausted by some job's build is thrown in whichever thread allocates (seen on the packaged service: the writer
 * died of it, and every job of the replica then waited forever on its next log line while liveness said UP).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class JobEventLogTest {

    @Inject
    JobEventLog events;
    @Inject
    DataSource dataSource;

    @Test
    void anErrorWhileWritingFailsThatBatchsWritersAndTheWriterGoesOn() throws Exception {
        OtherReplicaJobs.insertRunning(dataSource, "writer-error", "replica-w/1", 1, 0, "now() + interval '1 hour'",
                false, null);
        FencingToken token = new FencingToken("writer-error", "replica-w/1", 1, Duration.ofSeconds(15));
        try {
            CompletableFuture<Boolean> failed = events.transition(token, log("before the error"), c -> {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            });

            ExecutionException error = assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
            assertInstanceOf(OutOfMemoryError.class, error.getCause());
            assertTrue(events.alive(), "the writer thread still runs");
            assertTrue(events.append(token, log("after the error")).get(10, TimeUnit.SECONDS));
            given().get("/jobs/writer-error/logs").then().statusCode(200)
                    .body(containsString("after the error"));
            assertEquals(200, given().get("/q/health/live").then().extract().statusCode());
        } finally {
            OtherReplicaJobs.end(dataSource, "writer-error");
        }
    }

    private static NewEvent log(String line) {
        return new NewEvent(StoredEvent.Kind.LOG, Instant.now(), "emit", line);
    }
}
