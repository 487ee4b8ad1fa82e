package com.imagina.credits.events;

import com.imagina.credits.system.JsonText;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes an event: one statement that takes the account's next sequence number, writes the event and
 * queues a delivery for every endpoint subscribed to its type. A money path calls {@link #publish} inside
 * the transaction of its move, after the move (the account row is then already locked: the lock order is
 * account, then sequence), so the event commits or rolls back with it.
 */
@Component
public class Outbox {
    private static final String PUBLISH_SQL = "with source as (select cast(:account as text) as account_id, "
            + "cast(:type as text) as type, cast(:data as jsonb) as data, cast(:createdAt as timestamptz) as created_at, "
            + "cast(:dedupe as text) as dedupe_key where cast(:dedupe as text) is null or not exists "
            + "(select 1 from events where dedupe_key = cast(:dedupe as text))), "
            + OutboxSql.publishCtes("pub", "source") + " select event_id from pub_event";

    private final JdbcClient jdbc;
    private final JsonText json;

    public Outbox(JdbcClient jdbc, JsonText json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Publishes {@code type} for {@code accountId} in the caller's transaction; returns the event id. */
    @Transactional(propagation = Propagation.MANDATORY)
    public String publish(String accountId, EventType type, Map<String, ?> data, Instant createdAt) {
        return insert(accountId, type, data, createdAt, null).orElseThrow();
    }

    /**
     * Publishes an event that reports no money move (so there is no transaction it must join), at most
     * once per {@code dedupeKey}: empty when it was published before, also by a concurrent call.
     */
    public Optional<String> publishOnce(String dedupeKey, String accountId, EventType type, Map<String, ?> data,
            Instant createdAt) {
        try {
            return insert(accountId, type, data, createdAt, dedupeKey);
        } catch (DuplicateKeyException raced) {
            return Optional.empty();
        }
    }

    private Optional<String> insert(String accountId, EventType type, Map<String, ?> data, Instant createdAt,
            String dedupeKey) {
        return jdbc.sql(PUBLISH_SQL)
                .param("account", accountId)
                .param("type", type.wireName())
                .param("data", json.write(data))
                .param("createdAt", Timestamp.from(createdAt))
                .param("dedupe", dedupeKey)
                .query(String.class).optional();
    }
}
