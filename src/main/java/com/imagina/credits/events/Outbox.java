package com.imagina.credits.events;

import com.imagina.credits.system.JsonText;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox's one write: {@link #append} records an event in the caller's transaction — the transaction of
 * the money move it reports, after the move (the account row is then locked already: the lock order is the
 * account, then its event counter) — so the event commits or rolls back with the move. The SQL function
 * {@code events_append} (V70) takes the account's next sequence number, writes the event and queues a
 * delivery per subscribed endpoint; the triggers on {@code accounts} (V71) call the same function.
 */
@Component
public class Outbox {
    private static final String APPEND_SQL = """
            select events_append(:account, :type, cast(:data as jsonb), :createdAt, :dedupeKey)""";

    private final JdbcClient jdbc;
    private final JsonText json;

    Outbox(JdbcClient jdbc, JsonText json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Appends {@code type} for {@code accountId} in the caller's transaction; returns the event id. */
    @Transactional(propagation = Propagation.MANDATORY)
    public String append(String accountId, EventType type, Map<String, ?> data, Instant createdAt) {
        return insert(accountId, type, data, createdAt, null).orElseThrow();
    }

    /**
     * Appends an event at most once per {@code dedupeKey} (checked under the account's counter lock, so
     * also across instances); empty when it was appended before. Runs in the caller's transaction, or in
     * its own statement.
     */
    public Optional<String> appendOnce(String dedupeKey, String accountId, EventType type, Map<String, ?> data,
            Instant createdAt) {
        return insert(accountId, type, data, createdAt, dedupeKey);
    }

    private Optional<String> insert(String accountId, EventType type, Map<String, ?> data, Instant createdAt,
            String dedupeKey) {
        return jdbc.sql(APPEND_SQL)
                .param("account", accountId)
                .param("type", type.wireName())
                .param("data", json.write(data))
                .param("createdAt", Timestamp.from(createdAt))
                .param("dedupeKey", dedupeKey)
                .query(String.class).optional();
    }
}
