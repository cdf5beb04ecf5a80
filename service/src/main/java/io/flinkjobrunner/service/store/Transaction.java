package io.flinkjobrunner.service.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One database transaction around a piece of work: auto-commit off, commit when the work returns, roll back when it
 * throws. Every writer of the store goes through it, so none can leave a half-applied change behind an exception.
 */
public final class Transaction {

    /** The work done inside the transaction; its result is returned once committed. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Work inside a transaction that only changes the database (nothing to return). */
    @FunctionalInterface
    public interface Statements {
        void run(Connection c) throws SQLException;
    }

    /** Where a transaction's connection comes from (a data source, a repository). */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private Transaction() {
    }

    /** Runs {@code work} in one transaction on a new connection, closed afterwards. */
    public static <T> T run(Connections connections, Work<T> work) throws SQLException {
        try (Connection c = connections.open()) {
            return run(c, work);
        }
    }

    /**
     * Runs {@code work} in one transaction on the caller's connection, which stays open. The work may roll back
     * itself and go on reading (e.g. after a conflict); what it did after that is committed.
     */
    public static <T> T run(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                // the connection is broken: the server ends the transaction with the session, and e says why
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }
}
