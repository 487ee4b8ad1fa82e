package com.imagina.credits.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code webhook_deliveries} table: claiming due deliveries under a lease, recording each attempt's
 * outcome, the per-endpoint log and resend. All times are the database's {@code clock_timestamp()}, one
 * clock for every instance.
 */
@Component
class Deliveries {
    private final JdbcClient jdbc;

    Deliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A claimed delivery with everything needed to send it. */
    record Claimed(long deliveryId, int attempt, String url, String secret, String eventId, String type,
            Instant createdAt, String accountId, long sequence, String dataJson) {}

    /**
     * Claims up to {@code limit} due deliveries for this instance in one statement: pending, due, not
     * leased by a live sender, of a live endpoint, and the earliest pending one of their (endpoint,
     * account) — a later event of an account waits until the earlier one is delivered or given up. The
     * rows are locked {@code skip locked} while the lease is written, so two instances never claim the same
     * delivery; a sender that dies loses its lease when it runs out, and the delivery is claimed again
     * (at least once).
     */
    List<Claimed> claim(int limit, Duration lease, String instance) {
        return jdbc.sql("""
                with due as (
                    select d.delivery_id from webhook_deliveries d
                      join webhook_endpoints w on w.endpoint_id = d.endpoint_id and w.deleted_at is null
                     where d.state = 'pending' and d.next_attempt_at <= clock_timestamp()
                       and (d.leased_until is null or d.leased_until < clock_timestamp())
                       and not exists (select 1 from webhook_deliveries p
                                        where p.endpoint_id = d.endpoint_id and p.account_id = d.account_id
                                          and p.state = 'pending' and p.sequence < d.sequence)
                     order by d.next_attempt_at, d.delivery_id
                     limit :limit
                       for update of d skip locked),
                leased as (
                    update webhook_deliveries d
                       set leased_until = clock_timestamp() + cast(:leaseMillis || ' milliseconds' as interval),
                           leased_by = :instance, attempts = d.attempts + 1
                      from due where d.delivery_id = due.delivery_id
                    returning d.delivery_id, d.attempts, d.endpoint_id, d.event_id)
                select l.delivery_id, l.attempts, w.url, w.secret, e.event_id, e.type, e.created_at, e.account_id,
                       e.sequence, e.data::text as data
                  from leased l join webhook_endpoints w on w.endpoint_id = l.endpoint_id
                  join events e on e.event_id = l.event_id
                 order by e.account_id, e.sequence""")
                .param("limit", limit).param("leaseMillis", String.valueOf(lease.toMillis()))
                .param("instance", instance)
                .query((rs, n) -> new Claimed(rs.getLong("delivery_id"), rs.getInt("attempts"), rs.getString("url"),
                        rs.getString("secret"), rs.getString("event_id"), rs.getString("type"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("account_id"), rs.getLong("sequence"),
                        rs.getString("data")))
                .list();
    }

    /** The receiver answered 2xx: delivered (even if our lease ran out meanwhile: it did arrive). */
    @Transactional
    void delivered(Claimed c, int status, long latencyMillis) {
        attempt(c, status, null, latencyMillis);
        jdbc.sql("""
                update webhook_deliveries set state = 'delivered', delivered_at = clock_timestamp(), leased_until = null,
                       last_status = :status, last_error = null, last_latency_ms = :latency
                 where delivery_id = :id and state = 'pending'""")
                .param("id", c.deliveryId()).param("status", status).param("latency", latencyMillis).update();
    }

    /**
     * The attempt failed: retry after {@code retryIn}, or give up (state {@code failed}) once the event is
     * older than {@code giveUpAfter} by the database's clock. Only while this attempt is still the latest
     * claim: a sender whose lease ran out and was claimed again elsewhere does not overwrite that claim.
     */
    @Transactional
    void failed(Claimed c, Integer status, String error, long latencyMillis, Duration retryIn, Duration giveUpAfter) {
        attempt(c, status, error, latencyMillis);
        jdbc.sql("""
                update webhook_deliveries
                   set state = case when created_at + cast(:giveUpMillis || ' milliseconds' as interval)
                                         <= clock_timestamp() then 'failed' else 'pending' end,
                       next_attempt_at = clock_timestamp() + cast(:retryMillis || ' milliseconds' as interval),
                       leased_until = null, last_status = :status, last_error = :error, last_latency_ms = :latency
                 where delivery_id = :id and state = 'pending' and attempts = :attempt""")
                .param("id", c.deliveryId()).param("status", status).param("error", error)
                .param("latency", latencyMillis).param("retryMillis", String.valueOf(retryIn.toMillis()))
                .param("giveUpMillis", String.valueOf(giveUpAfter.toMillis()))
                .param("attempt", c.attempt())
                .update();
    }

    private void attempt(Claimed c, Integer status, String error, long latencyMillis) {
        jdbc.sql("""
                insert into webhook_attempts (delivery_id, attempt, started_at, status, error, latency_ms)
                values (:id, :attempt, clock_timestamp() - cast(:latency || ' milliseconds' as interval), :status,
                        :error, :latencyInt)
                on conflict (delivery_id, attempt) do nothing""")
                .param("id", c.deliveryId()).param("attempt", c.attempt()).param("latency", String.valueOf(latencyMillis))
                .param("status", status).param("error", error).param("latencyInt", (int) Math.min(latencyMillis, Integer.MAX_VALUE))
                .update();
    }

    record AttemptView(int attempt, Instant startedAt, Integer status, String error, int latencyMs) {}

    record DeliveryView(long id, String endpointId, String eventId, String type, String accountId, long sequence,
            DeliveryState state, int attempts, Integer lastStatus, String lastError, Integer lastLatencyMs,
            Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, List<AttemptView> log) {}

    /** The endpoint's deliveries, newest first, each with its attempts. */
    List<DeliveryView> log(String endpointId, Long before, int limit) {
        List<DeliveryView> rows = jdbc.sql("""
                select d.delivery_id, d.endpoint_id, d.event_id, e.type, d.account_id, d.sequence, d.state, d.attempts,
                       d.last_status, d.last_error, d.last_latency_ms, d.created_at, d.next_attempt_at, d.delivered_at
                  from webhook_deliveries d join events e on e.event_id = d.event_id
                 where d.endpoint_id = :endpoint and (cast(:before as bigint) is null or d.delivery_id < :before)
                 order by d.delivery_id desc limit :limit""")
                .param("endpoint", endpointId).param("before", before).param("limit", limit)
                .query((rs, n) -> view(rs, List.of())).list();
        return rows.stream().map(d -> new DeliveryView(d.id(), d.endpointId(), d.eventId(), d.type(), d.accountId(),
                d.sequence(), d.state(), d.attempts(), d.lastStatus(), d.lastError(), d.lastLatencyMs(), d.createdAt(),
                d.nextAttemptAt(), d.deliveredAt(), attempts(d.id()))).toList();
    }

    private List<AttemptView> attempts(long deliveryId) {
        return jdbc.sql("""
                select attempt, started_at, status, error, latency_ms from webhook_attempts
                 where delivery_id = :id order by attempt""")
                .param("id", deliveryId)
                .query((rs, n) -> new AttemptView(rs.getInt("attempt"), rs.getTimestamp("started_at").toInstant(),
                        (Integer) rs.getObject("status"), rs.getString("error"), rs.getInt("latency_ms")))
                .list();
    }

    /**
     * Sends the delivery again, as soon as a sender is free: it becomes pending and due now (its attempt
     * history stays; a lease in flight is respected). Per-account order then holds it before the account's
     * later pending deliveries. Empty when the endpoint has no such delivery.
     */
    Optional<DeliveryView> resend(String endpointId, long deliveryId) {
        int n = jdbc.sql("""
                update webhook_deliveries set state = 'pending', next_attempt_at = clock_timestamp()
                 where delivery_id = :id and endpoint_id = :endpoint
                   and exists (select 1 from webhook_endpoints w where w.endpoint_id = :endpoint and w.deleted_at is null)""")
                .param("id", deliveryId).param("endpoint", endpointId).update();
        if (n == 0) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select d.delivery_id, d.endpoint_id, d.event_id, e.type, d.account_id, d.sequence, d.state, d.attempts,
                       d.last_status, d.last_error, d.last_latency_ms, d.created_at, d.next_attempt_at, d.delivered_at
                  from webhook_deliveries d join events e on e.event_id = d.event_id where d.delivery_id = :id""")
                .param("id", deliveryId).query((rs, r) -> view(rs, attempts(deliveryId))).optional();
    }

    private static DeliveryView view(ResultSet rs, List<AttemptView> log) throws SQLException {
        return new DeliveryView(rs.getLong("delivery_id"), rs.getString("endpoint_id"), rs.getString("event_id"),
                rs.getString("type"), rs.getString("account_id"), rs.getLong("sequence"),
                DeliveryState.fromWire(rs.getString("state")),
                rs.getInt("attempts"), (Integer) rs.getObject("last_status"), rs.getString("last_error"),
                (Integer) rs.getObject("last_latency_ms"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("next_attempt_at").toInstant(),
                rs.getTimestamp("delivered_at") == null ? null : rs.getTimestamp("delivered_at").toInstant(), log);
    }
}
