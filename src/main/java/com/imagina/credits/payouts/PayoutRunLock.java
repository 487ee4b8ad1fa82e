package com.imagina.credits.payouts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * One payout run at a time across every instance sharing the database: a PostgreSQL transaction-level
 * advisory lock held on a connection of its own for the whole run, while the run's groups commit on
 * other connections. Transaction-level, so it is released by the rollback that ends the run, or by the
 * database when the connection or the instance dies: a pooled connection can never carry it over to
 * its next borrower. The key includes the schema, so services on separate schemas of one database do
 * not wait for each other.
 *
 * <p>The lock keeps runs from interleaving; it is not what makes payouts exactly-once. That rests on
 * the row locks and the conditional marks of {@link GroupPayer}, which hold even without it.
 */
@Component
class PayoutRunLock {
    private static final String KEY = "hashtext(current_schema() || ':revenue_share_payout')";

    private static final Logger log = LoggerFactory.getLogger(PayoutRunLock.class);

    private final DataSource dataSource;

    PayoutRunLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Waits for the lock (another run finishes first), then runs {@code work} under it. */
    <T> T underLock(Supplier<T> work) {
        return withLock("select pg_advisory_xact_lock(" + KEY + ")", true, work).orElseThrow();
    }

    /** Runs {@code work} under the lock if it is free now; empty when another run holds it. */
    <T> Optional<T> ifFree(Supplier<T> work) {
        return withLock("select pg_try_advisory_xact_lock(" + KEY + ")", false, work);
    }

    private <T> Optional<T> withLock(String lockSql, boolean blocking, Supplier<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!acquired(c, lockSql, blocking)) {
                    return Optional.empty();
                }
                return Optional.of(work.get());
            } finally {
                release(c);
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Payout run lock: " + e.getMessage(), e);
        }
    }

    /**
     * Ends the lock's transaction, which releases the lock. Should that fail, the pool rolls a dirty
     * connection back when it is returned, or the session is already gone, and the lock with it.
     */
    private static void release(Connection c) {
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            log.warn("Ending the payout lock's transaction failed: {}", e.getMessage());
        }
    }

    /** The blocking form returns only once it holds the lock; the try form says whether it got it. */
    private static boolean acquired(Connection c, String lockSql, boolean blocking) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(lockSql); ResultSet rs = s.executeQuery()) {
            return rs.next() && (blocking || rs.getBoolean(1));
        }
    }
}
