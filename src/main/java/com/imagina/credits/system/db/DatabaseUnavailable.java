package com.imagina.credits.system.db;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a database that could not answer in bounded time — no connection within the pool's wait, a
 * lock wait or statement past its timeout, the server gone or not answering — from every other failure.
 * Those are 503 with {@code Retry-After}: the transaction was rolled back, so nothing changed, and the
 * same request may simply be sent again. Decided from the exception types Spring and the pool throw and
 * from PostgreSQL's SQLSTATE anywhere in the cause chain (the translation to Spring's exceptions needs
 * the database's metadata, which a database that is gone does not give).
 */
public final class DatabaseUnavailable {
    /** What kind of temporary failure, or none. */
    public enum Kind { NONE, UNAVAILABLE, CONFLICT }

    /** PostgreSQL's SQLSTATE for a lock wait past {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private DatabaseUnavailable() {}

    /**
     * PostgreSQL's lock_not_available (55P03: a lock wait past {@code lock_timeout}) anywhere in the cause chain:
     * one kind of {@link Kind#UNAVAILABLE}, told apart where a shorter lock wait is a choice (a group-commit batch).
     */
    static boolean lockTimedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) return true;
        }
        return false;
    }

    public static Kind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // serialization failure, deadlock: the client retries the same request
                if (state.equals("40001") || state.equals("40P01")) return Kind.CONFLICT;
                if (state.equals(LOCK_NOT_AVAILABLE) // lock_timeout
                        || state.startsWith("57") // query_canceled (statement_timeout), admin/crash shutdown
                        || state.startsWith("08") // connection exceptions
                        || state.startsWith("53")) { // insufficient resources, too many connections
                    return Kind.UNAVAILABLE;
                }
            }
            if (t instanceof SQLTransientConnectionException || t instanceof SQLTimeoutException
                    || t instanceof SocketTimeoutException || t instanceof CannotGetJdbcConnectionException
                    || t instanceof CannotCreateTransactionException || t instanceof QueryTimeoutException
                    || t instanceof DataAccessResourceFailureException) {
                return Kind.UNAVAILABLE;
            }
            // The connection died under a transaction: its commit or rollback could not be sent. PostgreSQL
            // rolls back a transaction whose connection is gone; a commit whose answer was lost is retried by
            // the client with the same id, which idempotency makes safe.
            if (t instanceof org.springframework.transaction.TransactionSystemException tse) {
                Kind original = tse.getApplicationException() == null ? Kind.NONE
                        : classify(tse.getApplicationException());
                return original == Kind.NONE ? Kind.UNAVAILABLE : original;
            }
        }
        return Kind.NONE;
    }
}
