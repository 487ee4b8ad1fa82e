package com.imagina.credits.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import com.imagina.credits.support.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A real receiver registered as a webhook endpoint for every event type, removed after each test. */
abstract class EventsTestBase extends ApiTest {
    static final Duration DELIVERY = Duration.ofSeconds(60);
    static final List<String> ALL_TYPES = List.of("purchase.completed", "refund.applied", "dispute.opened",
            "dispute.closed", "payout.credited", "grant.created", "grant.expiring", "grant.expired", "balance.low",
            "spend_limit.reached");

    protected WebhookReceiver receiver;
    protected String endpointId;
    private final List<String> endpoints = new ArrayList<>();

    @BeforeEach
    void registerReceiver() {
        receiver = new WebhookReceiver();
        endpointId = register(receiver, ALL_TYPES);
    }

    /** Registers {@code r} for {@code types}; answers the endpoint id, tells the receiver its secret. */
    String register(WebhookReceiver r, List<String> types) {
        Api.Response created = api.post("/api/v1/admin/webhook-endpoints", api.admin(),
                Map.of("url", r.url(), "eventTypes", types));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        r.secret(created.json().get("secret").asText());
        endpoints.add(created.json().get("id").asText());
        return created.json().get("id").asText();
    }

    @AfterEach
    void removeReceiver() {
        for (String id : endpoints) {
            api.raw("DELETE", "/api/v1/admin/webhook-endpoints/" + id, api.admin(), null, Map.of());
        }
        receiver.close();
    }

    void setThreshold(String accountId, Long millicredits, String token) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("lowBalanceMillicredits", millicredits);
        Api.Response r = api.put("/api/v1/accounts/" + accountId + "/alerts", token, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /**
     * One {@code balance.low} for the account through the ledger alone: a threshold of 1,000, a credit of
     * 2,000 (re-arms it) and a debit of 2,000 (crosses it).
     */
    void lowBalanceCycle(String accountId) {
        setThreshold(accountId, 1_000L, api.admin());
        adjust(accountId, 2_000);
        adjust(accountId, -2_000);
    }

    JsonNode deliveries(String endpoint) {
        Api.Response r = api.get("/api/v1/admin/webhook-endpoints/" + endpoint + "/deliveries?limit=200", api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("items");
    }

    long outboxCount(String accountId) {
        return jdbc.sql("select count(*) from events where account_id = :a").param("a", accountId)
                .query(Long.class).single();
    }

    void awaitDelivered(String accountId, int count) {
        boolean done = WebhookReceiver.await(DELIVERY, () -> receiver.deliveredOf(accountId).size() >= count);
        assertThat(done).as("%s: %s delivered of %s expected; received %s", accountId,
                receiver.deliveredOf(accountId).size(), count, receiver.of(accountId)).isTrue();
    }
}
