package io.flinkjobrunner.service.secrets;

import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.store.Transaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start a replica whose secret key differs from the one the stored secrets were sealed with. Every replica
 * of one database must share the key ({@code runner.secrets.key}, from one Kubernetes Secret); a replica with another
 * key would fail every job another replica queued ("stored secret cannot be decrypted") and could not recognise an
 * idempotent resubmission. Checked once at startup, before any job is claimed, so the mistake shows as a pod that does
 * not start, with a message saying why.
 */
@ApplicationScoped
public class SecretKeyCheck {

    private static final Logger LOG = Logger.getLogger(SecretKeyCheck.class);
    /** Jobs whose sealed URLs are tried when no fingerprint was recorded yet (a database of an earlier version). */
    private static final int SAMPLE = 20;

    @Inject
    SecretBox box;
    @Inject
    JobRepository jobs;

    void verifyAtStartup(@Observes @Priority(1) StartupEvent event) {
        try (Connection c = jobs.connection()) {
            verify(c, box);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the secret key against the job database: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Compares the key's fingerprint with the one recorded in the database; records it if there is none yet, after
     * checking that the key opens the secrets already stored.
     *
     * @throws IllegalStateException naming the problem and the fix when the key does not match
     */
    public static void verify(Connection c, SecretBox box) throws SQLException {
        boolean recordedNow;
        try {
            recordedNow = Transaction.run(c, tx -> recordOrCompare(tx, box));
        } finally {
            c.setAutoCommit(true);
        }
        if (recordedNow) {
            LOG.infof("recorded the secret key's fingerprint %s… in the job database", box.fingerprint()
                    .substring(0, 12));
        }
    }

    /** True if the fingerprint was recorded now; false if the recorded one is this key's. */
    private static boolean recordOrCompare(Connection c, SecretBox box) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended("
                + "'fjr.secret-key', 0))")) {
            ps.execute();
        }
        String recorded = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint FROM secret_key");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                recorded = rs.getString(1);
            }
        }
        if (recorded != null) {
            if (!recorded.equals(box.fingerprint())) {
                throw new IllegalStateException(mismatch("the job database records another key (fingerprint "
                        + recorded.substring(0, 12) + "…, this replica's is " + box.fingerprint().substring(0, 12)
                        + "…)"));
            }
            return false;
        }
        int opened = 0;
        List<String> refused = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, sealed_urls FROM jobs WHERE sealed_urls IS NOT "
                + "NULL ORDER BY created_at DESC LIMIT " + SAMPLE);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    box.open(rs.getBytes(2));
                    opened++;
                } catch (IllegalStateException e) {
                    refused.add(rs.getString(1));
                }
            }
        }
        if (!refused.isEmpty() && opened == 0) {
            throw new IllegalStateException(mismatch("the stored secrets of job(s) " + refused
                    + " cannot be decrypted with it"));
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO secret_key (fingerprint, created_at) "
                + "VALUES (?, now())")) {
            ps.setString(1, box.fingerprint());
            ps.executeUpdate();
        }
        return true;
    }

    private static String mismatch(String what) {
        return "this replica's secret key is not the key of the other replicas: " + what + ". Every replica of one "
                + "database needs the same runner.secrets.key (env RUNNER_SECRETS_KEY, e.g. from one Kubernetes "
                + "Secret; the Helm chart creates it); without it each replica generates its own key file in its work "
                + "directory. To replace the key on purpose, stop every replica, let no job be QUEUED or RUNNING, and "
                + "delete the row of table secret_key";
    }
}
