package io.flinkjobrunner.service.secrets;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica whose secret key is not the key of the others fails at startup, naming the fix, instead of failing every
 * job another replica queued.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class SecretKeyCheckTest {

    @Inject
    DataSource dataSource;
    @Inject
    SecretBox box;

    private static SecretBox otherKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SecretBox(key);
    }

    @Test
    void theRunningServiceRecordedItsKeyAndAnotherKeyIsRefused() throws Exception {
        assertEquals(box.fingerprint(), recorded());
        try (Connection c = dataSource.getConnection()) {
            assertDoesNotThrow(() -> SecretKeyCheck.verify(c, box));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SecretKeyCheck.verify(c, otherKey()));
            assertTrue(e.getMessage().startsWith("this replica's secret key is not the key of the other replicas: "
                    + "the job database records another key"), e.getMessage());
            assertTrue(e.getMessage().contains("RUNNER_SECRETS_KEY"), e.getMessage());
        }
        assertEquals(box.fingerprint(), recorded(), "a refused key changes nothing");
    }

    @Test
    void withoutARecordedKeyTheStoredSecretsDecideAndTheFirstKeyThatOpensThemIsRecorded() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM secret_key")) {
                ps.executeUpdate();
            }
            // a job of an earlier version, which kept sealed URLs without recording the key's fingerprint
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (id, target, status, request_mac, "
                    + "context, sealed_urls, created_at, updated_at) VALUES ('key-check-1', 'testing', 'CANCELLED', "
                    + "'mac', '{\"deployment\":\"shacl\"}', ?, now(), now())")) {
                ps.setBytes(1, box.seal("{\"knowledge\":\"http://x/k?sig=1\"}"));
                ps.executeUpdate();
            }
            c.commit();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SecretKeyCheck.verify(c, otherKey()));
            assertTrue(e.getMessage().contains("the stored secrets of job(s) [key-check-1] cannot be decrypted"),
                    e.getMessage());
            SecretKeyCheck.verify(c, box);
        }
        assertEquals(box.fingerprint(), recorded());
    }

    private String recorded() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT fingerprint FROM secret_key"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
