package com.imagina.credits.system.db;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code credits.db.*} bounds on waiting for the database, so that a stalled database or a row locked
 * elsewhere fails a call fast (503 {@code service_unavailable} with {@code Retry-After}, nothing
 * changed) instead of holding its thread for half a minute.
 *
 * @param connectionTimeout waiting for a connection from the pool (Hikari {@code connectionTimeout})
 * @param lockTimeout PostgreSQL {@code lock_timeout} of every session: the longest wait for a row, table
 *        or advisory lock; an account row locked elsewhere stalls only calls on that account, for this long
 * @param statementTimeout PostgreSQL {@code statement_timeout} of every session
 * @param connectTimeout the JDBC driver's wait for a new TCP connection and its start-up
 * @param socketTimeout the driver's wait for any answer: the last resort when the server stops answering
 *        at all (paused, network gone), which {@code statement_timeout} cannot cover; 0 = derived
 *        (statement timeout + 5 s; the reconciliation lifts it to its own bound, {@link BatchWork})
 */
@ConfigurationProperties("credits.db")
record DbTimeouts(
        @DefaultValue("2s") Duration connectionTimeout,
        @DefaultValue("2s") Duration lockTimeout,
        @DefaultValue("5s") Duration statementTimeout,
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("0s") Duration socketTimeout) {

    Duration effectiveSocketTimeout() {
        return socketTimeout.isZero() ? statementTimeout.plusSeconds(5) : socketTimeout;
    }
}
