package com.imagina.credits.payments;

import com.imagina.credits.system.db.Rows;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code stripe_events} log: every verified event once, with what processing it did. Claiming
 * the event id is the first write of the processing transaction, so a concurrent delivery of the same
 * event waits on the primary key and then finds it taken.
 */
@Component
class StripeEvents {
    private final JdbcClient jdbc;

    StripeEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What support sees of one event. {@code outcome} is the stored word as it is (an {@link EventOutcome.Code}
     * when this version wrote it): a log of what happened is shown as written, never re-read into a type.
     */
    record EventRow(String eventId, String type, String outcome, String detail, String sessionId,
            String paymentIntent, String apiVersion, Boolean livemode, Instant receivedAt) {}

    /** True when this transaction now owns the event; false when it was seen before. */
    boolean claim(String eventId, String type, String apiVersion, Boolean livemode, String payload, Instant now) {
        return jdbc.sql("""
                insert into stripe_events (event_id, type, outcome, api_version, livemode, payload, received_at)
                values (:id, :type, 'processing', :apiVersion, :livemode, :payload, :now)
                on conflict do nothing""")
                .param("id", eventId).param("type", type).param("apiVersion", apiVersion)
                .param("livemode", livemode).param("payload", payload).param("now", Timestamp.from(now))
                .update() == 1;
    }

    void finish(String eventId, EventOutcome outcome) {
        jdbc.sql("""
                update stripe_events set outcome = :outcome, detail = :detail, session_id = :session,
                       payment_intent = :pi
                 where event_id = :id""")
                .param("outcome", outcome.code().wireName()).param("detail", outcome.detail())
                .param("session", outcome.sessionId()).param("pi", outcome.paymentIntent())
                .param("id", eventId).update();
    }

    /** Newest first; only those of one session (or payment intent) when given. */
    List<EventRow> recent(String sessionId, String paymentIntent, int limit) {
        return jdbc.sql("""
                select event_id, type, outcome, detail, session_id, payment_intent, api_version, livemode, received_at
                  from stripe_events
                 where (cast(:session as text) is null or session_id = cast(:session as text))
                   and (cast(:pi as text) is null or payment_intent = cast(:pi as text))
                 order by received_at desc, event_id limit :limit""")
                .param("session", sessionId).param("pi", paymentIntent).param("limit", limit)
                .query((rs, n) -> new EventRow(rs.getString("event_id"), rs.getString("type"),
                        rs.getString("outcome"), rs.getString("detail"), rs.getString("session_id"),
                        rs.getString("payment_intent"), rs.getString("api_version"),
                        (Boolean) rs.getObject("livemode"), Rows.instant(rs, "received_at")))
                .list();
    }
}
