package com.imagina.credits.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.WebhookReceiver;
import com.imagina.credits.support.WebhookReceiver.Answer;
import com.imagina.credits.support.WebhookReceiver.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Webhook endpoints and delivery against a real local receiver: registration (admin only, the secret once,
 * audited), signatures by the documented scheme, retries after 500s and after a receiver that does not
 * answer in time, per-account order while another account's events flow, the delivery log and resend.
 */
class WebhookDeliveryTest extends EventsTestBase {

    /** The table's check constraint and {@link DeliveryState} name the same states. */
    @Test
    void theDeliveryStatesAreTheTablesOwn() {
        String check = jdbc.sql("""
                select pg_get_constraintdef(c.oid) from pg_constraint c
                 where c.conrelid = 'webhook_deliveries'::regclass and c.contype = 'c'
                   and pg_get_constraintdef(c.oid) like '%state%'""").query(String.class).single();
        List<String> inTable = new ArrayList<>();
        java.util.regex.Matcher words = java.util.regex.Pattern.compile("'([a-z_]+)'").matcher(check);
        while (words.find()) inTable.add(words.group(1));
        assertThat(inTable).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(DeliveryState.values()).map(DeliveryState::wireName).toList());
    }

    @Test
    void endpointsAreAdminOnlyTheSecretIsShownOnceAndEveryChangeIsAudited() {
        WebhookReceiver r = receiver();
        Api.Response refused = api.post("/api/v1/admin/webhook-endpoints", api.player(id("u")),
                Map.of("url", r.url(), "eventTypes", List.of("balance.low")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(api.post("/api/v1/admin/webhook-endpoints", api.admin(),
                Map.of("url", "ftp://example.com/x", "eventTypes", List.of("balance.low"))).status()).isEqualTo(400);
        assertThat(api.post("/api/v1/admin/webhook-endpoints", api.admin(),
                Map.of("url", r.url(), "eventTypes", List.of("turn.settled"))).status()).isEqualTo(400);
        assertThat(api.post("/api/v1/admin/webhook-endpoints", api.admin(),
                Map.of("url", r.url(), "eventTypes", List.of())).status()).isEqualTo(400);

        Api.Response created = api.post("/api/v1/admin/webhook-endpoints", api.admin(),
                Map.of("url", r.url(), "eventTypes", List.of("balance.low", "grant.created")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("secret").asText()).startsWith("whsec_").hasSizeGreaterThan(30);
        assertThat(created.json().get("eventTypes")).extracting(JsonNode::asText)
                .containsExactly("balance.low", "grant.created");

        Api.Response listed = api.get("/api/v1/admin/webhook-endpoints", api.admin());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).contains(id).doesNotContain(created.json().get("secret").asText());
        assertThat(api.get("/api/v1/admin/webhook-endpoints", api.engine()).status()).isEqualTo(403);

        assertThat(api.raw("DELETE", "/api/v1/admin/webhook-endpoints/" + id, api.admin(), null, Map.of()).status())
                .isEqualTo(204);
        assertThat(api.raw("DELETE", "/api/v1/admin/webhook-endpoints/" + id, api.admin(), null, Map.of()).status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/admin/webhook-endpoints", api.admin()).body()).doesNotContain(id);

        // The audit filter records admin changes; the secret is in no audit row.
        List<String> actions = jdbc.sql("""
                select action || ' ' || outcome from audit_log
                 where request->>'path' like '/api/v1/admin/webhook-endpoints%' order by audit_id""")
                .query(String.class).list();
        assertThat(actions).contains("webhook_endpoint_create applied", "webhook_endpoint_delete applied",
                "webhook_endpoint_delete refused", "webhook_endpoint_create refused");
        assertThat(jdbc.sql("select count(*) from audit_log where request::text like '%' || :s || '%'")
                .param("s", created.json().get("secret").asText()).query(Long.class).single()).isZero();
    }

    @Test
    void deliveriesAreSignedAndRetriedAfterServerErrorsAndTimeouts() {
        String acct = id("u");
        // Each event: 500 twice, then a receiver that does not answer within the request timeout (1.5 s in
        // application-test.yml), then 200.
        receiver.behaviour(a -> switch (a.attempt()) {
            case 1, 2 -> Answer.status(500);
            case 3 -> new Answer(500, Duration.ofMillis(2_500)); // answered after the service gave up
            default -> Answer.ok();
        });
        String grantId = grant(acct, 5_000, null);
        awaitDelivered(acct, 1);

        List<Received> all = receiver.of(acct);
        assertThat(all).extracting(Received::answered).startsWith(500, 500);
        assertThat(all).extracting(Received::eventId).containsOnly(all.get(0).eventId());
        assertThat(all.size()).as("two 500s, the timed-out attempt, then the success").isGreaterThanOrEqualTo(4);
        for (Received r : all) {
            assertThat(r.signatureValid()).as(r.signature()).isTrue();
        }
        Received ok = receiver.deliveredOf(acct).get(0);
        assertThat(ok.type()).isEqualTo("grant.created");
        assertThat(ok.sequence()).isEqualTo(1);
        assertThat(ok.event().get("data").get("grantId").asText()).isEqualTo(grantId);
        assertThat(ok.event().get("data").get("amountMillicredits").asLong()).isEqualTo(5_000);
        List<String> fields = new ArrayList<>();
        ok.event().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "type", "createdAt", "accountId", "sequence", "data");
        // A changed body or another secret does not verify: the check can fail.
        assertThat(WebhookReceiver.verify(ok.signature(), ok.body() + " ", "whsec_other")).isFalse();
        assertThat(WebhookReceiver.verify(ok.signature(), ok.body().replace("5000", "5001"),
                jdbc.sql("select secret from webhook_endpoints where endpoint_id = :id").param("id", endpointId)
                        .query(String.class).single())).isFalse();

        // The log: one delivery, delivered, with every attempt's status and latency.
        // The receiver records the 200 before answering it; the service records it just after: poll.
        assertThat(WebhookReceiver.await(DELIVERY,
                () -> findDelivery(endpointId, ok.eventId()).get("state").asText().equals("delivered"))).isTrue();
        JsonNode delivery = findDelivery(endpointId, ok.eventId());
        assertThat(delivery.get("state").asText()).isEqualTo("delivered");
        assertThat(delivery.get("attempts").asInt()).isGreaterThanOrEqualTo(4);
        JsonNode log = delivery.get("log");
        assertThat(log.get(0).get("status").asInt()).isEqualTo(500);
        assertThat(log.get(1).get("status").asInt()).isEqualTo(500);
        assertThat(log.get(2).get("status").isNull()).isTrue();
        assertThat(log.get(2).get("error").asText()).contains("timed out");
        assertThat(log.get(2).get("latencyMs").asInt()).isGreaterThanOrEqualTo(1_000);
        assertThat(log.get(log.size() - 1).get("status").asInt()).isEqualTo(200);
        Api.Response metrics = api.get("/actuator/prometheus", api.admin());
        assertThat(metrics.body()).contains("credits_webhooks_attempts_total{outcome=\"failed\"")
                .contains("credits_webhooks_attempts_total{outcome=\"delivered\"");

        // Resend: the same event (same id) arrives again; audited.
        int before = receiver.of(acct).size();
        Api.Response resent = api.post("/api/v1/admin/webhook-endpoints/" + endpointId + "/deliveries/"
                + delivery.get("id").asLong() + "/resend", api.admin(), Map.of());
        assertThat(resent.status()).as(resent.toString()).isEqualTo(200);
        assertThat(WebhookReceiver.await(DELIVERY, () -> receiver.of(acct).size() > before)).isTrue();
        assertThat(receiver.of(acct).get(before).eventId()).isEqualTo(ok.eventId());
        assertThat(api.post("/api/v1/admin/webhook-endpoints/" + endpointId + "/deliveries/999999999/resend",
                api.admin(), Map.of()).status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from audit_log where action = 'webhook_resend'")
                .query(Long.class).single()).isPositive();
    }

    @Test
    void anAccountsEventsArriveInOrderWhileAnotherAccountsFlow() {
        String slow = id("slow"), fast = id("fast");
        // The slow account's first event fails six times (about 3.5 s of backoff); nothing later of that account
        // may overtake it.
        receiver.behaviour(a -> a.event().get("accountId").asText().equals(slow) && a.event().get("sequence").asLong() == 1
                && a.attempt() <= 6 ? Answer.status(503) : Answer.ok());
        for (int i = 0; i < 3; i++) {
            grant(slow, 1_000 + i, null);
        }
        for (int i = 0; i < 3; i++) {
            grant(fast, 2_000 + i, null);
        }
        awaitDelivered(fast, 3);
        awaitDelivered(slow, 3);

        assertThat(receiver.deliveredOf(slow)).extracting(Received::sequence).containsExactly(1L, 2L, 3L);
        assertThat(receiver.deliveredOf(fast)).extracting(Received::sequence).containsExactly(1L, 2L, 3L);
        // No later event of the slow account was even attempted before its first one succeeded.
        List<Received> slowAll = receiver.of(slow);
        int firstOk = indexOfFirstSuccess(slowAll);
        assertThat(slowAll.subList(0, firstOk + 1)).extracting(Received::sequence).containsOnly(1L);
        // The fast account did not wait for the slow one: its events were through before that first success.
        Received slowFirstOk = slowAll.get(firstOk);
        Received fastLast = receiver.deliveredOf(fast).get(2);
        assertThat(fastLast.at()).isBefore(slowFirstOk.at());
    }

    @Test
    void aDeliveryFailingForThreeDaysIsGivenUpAndTheAccountsNextEventGoesOut() {
        String acct = id("u");
        receiver.behaviour(a -> a.event().get("sequence").asLong() == 1 ? Answer.status(500) : Answer.ok());
        grant(acct, 1_000, null);
        grant(acct, 2_000, null);
        assertThat(WebhookReceiver.await(DELIVERY, () -> receiver.of(acct).size() >= 2)).isTrue();
        assertThat(receiver.deliveredOf(acct)).as("the second waits for the first").isEmpty();
        // Three days pass for the first delivery (its age is the database's real time, so it is moved back).
        jdbc.sql("""
                update webhook_deliveries set created_at = created_at - interval '3 days 1 minute'
                 where account_id = :a and sequence = 1""").param("a", acct).update();
        awaitDelivered(acct, 1);
        assertThat(receiver.deliveredOf(acct)).extracting(Received::sequence).containsExactly(2L);
        JsonNode first = null;
        for (JsonNode d : deliveries(endpointId)) {
            if (d.get("accountId").asText().equals(acct) && d.get("sequence").asLong() == 1) first = d;
        }
        assertThat(first).isNotNull();
        assertThat(first.get("state").asText()).isEqualTo("failed");
        assertThat(first.get("lastStatus").asInt()).isEqualTo(500);
    }

    private static int indexOfFirstSuccess(List<Received> list) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).answered() == 200) return i;
        }
        throw new AssertionError("no success in " + list);
    }

    private JsonNode findDelivery(String endpoint, String eventId) {
        for (JsonNode d : deliveries(endpoint)) {
            if (d.get("eventId").asText().equals(eventId)) return d;
        }
        throw new AssertionError("no delivery of " + eventId);
    }
}
