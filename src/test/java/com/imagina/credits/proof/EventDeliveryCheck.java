package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.proof.ResilientApi.Reply;
import com.imagina.credits.support.WebhookReceiver;
import com.imagina.credits.support.WebhookReceiver.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault test's webhook side: a real receiver registered for every event type before the clients start,
 * low-balance thresholds on half the players so that alerts happen under the kills too, and at the end the
 * check that every event in the outbox arrived — at least once, duplicates only with the same id and body,
 * each account's first arrivals in sequence order — and nothing arrived that the outbox does not hold.
 */
final class EventDeliveryCheck {
    static final List<String> ALL_TYPES = List.of("purchase.completed", "refund.applied", "dispute.opened",
            "dispute.closed", "payout.credited", "grant.created", "grant.expiring", "grant.expired", "balance.low",
            "spend_limit.reached");

    private EventDeliveryCheck() {}

    static void register(FaultWorld w, WebhookReceiver receiver) {
        Reply created = w.api.post("/api/v1/admin/webhook-endpoints", w.admin(), "{\"url\":\"" + receiver.url()
                + "\",\"eventTypes\":[" + String.join(",", ALL_TYPES.stream().map(t -> "\"" + t + "\"").toList()) + "]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        receiver.secret(created.json().path("secret").asText());
        for (int i = 0; i < w.players.size(); i += 2) {
            Reply r = w.api.put("/api/v1/accounts/" + w.players.get(i) + "/alerts", w.admin(),
                    "{\"lowBalanceMillicredits\":1500000}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
    }

    /** Waits (bounded) until every outbox event of {@code accounts} arrived, then checks what arrived. */
    static void verify(FaultWorld w, WebhookReceiver receiver, List<String> accounts) {
        Map<String, List<JsonNode>> outbox = new LinkedHashMap<>();
        int total = 0;
        for (String account : accounts) {
            List<JsonNode> events = new ArrayList<>();
            long after = 0;
            while (true) {
                Reply page = w.api.get("/api/v1/accounts/" + account + "/events?limit=100&after=" + after, w.admin());
                assertThat(page.status()).as(page.toString()).isEqualTo(200);
                page.json().path("items").forEach(events::add);
                if (page.json().path("items").size() < 100) break;
                after = page.json().path("lastSequence").asLong();
            }
            outbox.put(account, events);
            total += events.size();
        }
        int expected = total;
        boolean all = WebhookReceiver.await(Duration.ofMinutes(3), () -> outbox.entrySet().stream().allMatch(e ->
                receiver.deliveredOf(e.getKey()).size() >= e.getValue().size()));
        Map<String, String> bodies = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Received r : receiver.all()) {
            if (!r.signatureValid()) problems.add("bad signature on " + r.eventId());
            String seen = bodies.putIfAbsent(r.eventId(), r.event().toString());
            if (seen != null && !seen.equals(r.event().toString())) problems.add("a duplicate that differs: " + r.eventId());
        }
        for (Map.Entry<String, List<JsonNode>> e : outbox.entrySet()) {
            List<String> want = e.getValue().stream().map(n -> n.path("id").asText()).toList();
            List<String> got = receiver.deliveredOf(e.getKey()).stream().map(Received::eventId).toList();
            if (!got.equals(want)) problems.add(e.getKey() + ": delivered " + got + ", outbox " + want);
        }
        long foreign = receiver.all().stream().filter(r -> !outbox.containsKey(r.accountId())).count();
        System.out.println("FaultInjectionTest: " + expected + " events in the outbox, " + receiver.all().size()
                + " webhook requests, " + bodies.size() + " distinct events received");
        assertThat(all).as("every event delivered within the deadline").isTrue();
        assertThat(foreign).as("requests about accounts the run does not have").isZero();
        assertThat(problems).isEmpty();
    }
}
