package com.imagina.credits.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;

/** Helpers for the payments API tests: start checkouts, deliver signed events, read what happened. */
abstract class PaymentsApiTestBase extends ApiTest {
    static final String WEBHOOK = "/api/v1/stripe/webhook";

    @Autowired
    StripeKeys keys;

    String secret() {
        assertThat(keys.simulated()).as("the tests run without a Stripe secret key").isTrue();
        return keys.webhookSecret();
    }

    Api.Response deliver(String payload, String signatureHeader) {
        return api.raw("POST", WEBHOOK, null, payload, signatureHeader == null
                ? Map.of("Content-Type", "application/json; charset=utf-8")
                : Map.of("Content-Type", "application/json; charset=utf-8", "Stripe-Signature", signatureHeader));
    }

    /** Signs the event with the service's webhook secret and delivers it; expects 200. */
    JsonNode deliver(JsonNode event) {
        String payload = StripeTestEvents.payload(event);
        Api.Response r = deliver(payload, StripeTestEvents.sign(payload, secret()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** Starts a checkout as the player; returns the session id. */
    String checkout(String accountId, String packId) {
        Api.Response r = api.post("/api/v1/checkout-sessions", api.player(accountId), Map.of("packId", packId));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static String paymentIntent() {
        return "pi_test_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    String outcome(String eventId) {
        return jdbc.sql("select outcome from stripe_events where event_id = :id").param("id", eventId)
                .query(String.class).optional().orElse(null);
    }

    JsonNode session(String sessionId) {
        Api.Response r = api.get("/api/v1/checkout-sessions/" + sessionId, api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** The account's entries of one type, oldest first, as the transaction history shows them. */
    List<Long> amounts(String accountId, String type) {
        Api.Response r = api.get("/api/v1/accounts/" + accountId + "/transactions?limit=200&type=" + type,
                api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<Long> amounts = new ArrayList<>();
        for (JsonNode item : r.json().get("items")) {
            amounts.add(0, item.get("amountMillicredits").asLong());
        }
        return amounts;
    }

    long ledgerEntries(String sessionId) {
        return jdbc.sql("select count(*) from ledger_entries where reference = :s").param("s", sessionId)
                .query(Long.class).single();
    }
}
