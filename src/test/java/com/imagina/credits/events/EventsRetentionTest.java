package com.imagina.credits.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.WebhookReceiver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Outbox retention with the adjustable clock: events older than {@code credits.events.retention} (30 days) whose
 * deliveries are all finished go with their deliveries and attempts; one with a pending delivery and recent ones
 * stay; the account's sequence goes on; an instance that does not hold the lock deletes nothing.
 */
class EventsRetentionTest extends EventsTestBase {
    static final Instant T0 = Instant.parse("2027-02-01T10:00:00Z");

    @Autowired
    EventsRetention retention;

    @Autowired
    DataSource dataSource;

    long count(String sql, String eventId) {
        return jdbc.sql(sql).param("e", eventId).query(Long.class).single();
    }

    String onlyEvent(String account) {
        return jdbc.sql("select event_id from events where account_id = :a").param("a", account)
                .query(String.class).single();
    }

    @Test
    void oldFinishedEventsGoPendingAndRecentOnesStayAndTheSequenceGoesOn() throws Exception {
        // A second endpoint that refuses everything of account B: B's event keeps a pending delivery.
        String delivered = id("u-old"), stuck = id("u-stuck"), recent = id("u-recent");
        WebhookReceiver refusing = receiver();
        refusing.behaviour(a -> a.event().path("accountId").asText().equals(stuck)
                ? WebhookReceiver.Answer.status(500) : WebhookReceiver.Answer.ok());
        String refusingId = register(refusing, List.of("grant.created"));

        setClock(T0);
        grant(delivered, 1_000, null);
        grant(stuck, 1_000, null);
        awaitDelivered(delivered, 1);
        awaitDelivered(refusing, delivered, 1);
        awaitDelivered(stuck, 1);
        String oldEvent = onlyEvent(delivered), stuckEvent = onlyEvent(stuck);
        assertThat(WebhookReceiver.await(DELIVERY, () -> refusing.of(stuck).size() >= 2)).isTrue();
        long oldDelivery = jdbc.sql("select delivery_id from webhook_deliveries where event_id = :e and endpoint_id = :w")
                .param("e", oldEvent).param("w", endpointId).query(Long.class).single();

        setClock(T0.plus(Duration.ofDays(29)));
        grant(recent, 1_000, null);
        awaitDelivered(recent, 1);
        awaitDelivered(refusing, recent, 1);
        String recentEvent = onlyEvent(recent);

        setClock(T0.plus(Duration.ofDays(31)));
        // Another instance holds the lock: this one deletes nothing.
        try (Connection other = dataSource.getConnection()) {
            try (PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?)")) {
                lock.setLong(1, EventsRetention.LOCK_KEY);
                lock.execute();
            }
            assertThat(retention.runOnce()).isZero();
            assertThat(count("select count(*) from events where event_id = :e", oldEvent)).isEqualTo(1);
            try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, EventsRetention.LOCK_KEY);
                unlock.execute();
            }
        }

        assertThat(retention.runOnce()).isPositive();
        assertThat(count("select count(*) from events where event_id = :e", oldEvent)).isZero();
        assertThat(count("select count(*) from webhook_deliveries where event_id = :e", oldEvent)).isZero();
        assertThat(count("""
                select count(*) from webhook_attempts where delivery_id in
                    (select delivery_id from webhook_deliveries where event_id = :e)""", oldEvent)).isZero();
        assertThat(count("select count(*) from events where event_id = :e", stuckEvent))
                .as("an event with a pending delivery stays, however old").isEqualTo(1);
        assertThat(count("select count(*) from webhook_deliveries where event_id = :e", stuckEvent)).isEqualTo(2);
        assertThat(count("select count(*) from events where event_id = :e", recentEvent)).as("recent").isEqualTo(1);
        assertThat(deliveries(endpointId)).extracting(d -> d.get("eventId").asText()).doesNotContain(oldEvent)
                .contains(stuckEvent, recentEvent);
        Api.Response resend = api.post("/api/v1/admin/webhook-endpoints/" + endpointId + "/deliveries/" + oldDelivery
                + "/resend", api.admin(), Map.of());
        assertThat(resend.status()).as(resend.toString()).isEqualTo(404);

        // The sequence goes on: the account's next event is number 2, on the feed and at the receiver.
        grant(delivered, 1_000, null);
        awaitDelivered(delivered, 2);
        assertThat(receiver.deliveredOf(delivered).get(1).sequence()).isEqualTo(2);
        JsonNode feed = api.get("/api/v1/accounts/" + delivered + "/events?after=0", api.admin()).json();
        assertThat(feed.get("items")).extracting(e -> e.get("sequence").asLong()).containsExactly(2L);
        assertThat(feed.get("headSequence").asLong()).isEqualTo(2);

        // Once the stuck delivery finishes, the old event goes at the next run.
        refusing.behaviour(a -> WebhookReceiver.Answer.ok());
        assertThat(WebhookReceiver.await(DELIVERY, () -> count(
                "select count(*) from webhook_deliveries where event_id = :e and state = 'pending'", stuckEvent) == 0))
                .isTrue();
        assertThat(retention.runOnce()).isPositive();
        assertThat(count("select count(*) from events where event_id = :e", stuckEvent)).isZero();
        assertThat(count("select count(*) from events where event_id = :e", recentEvent)).isEqualTo(1);
        assertThat(refusingId).isNotBlank();
    }
}
