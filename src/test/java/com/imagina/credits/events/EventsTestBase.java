package com.imagina.credits.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import com.imagina.credits.support.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A real receiver registered as a webhook endpoint for every event type, removed after each test. */
abstract class EventsTestBase extends ApiTest {
    static final Duration DELIVERY = Duration.ofSeconds(60);
    static final String SONNET = "claude-sonnet-4-5";
    static final List<String> ALL_TYPES = List.of("purchase.completed", "refund.applied", "dispute.opened",
            "dispute.closed", "payout.credited", "grant.created", "grant.expiring", "grant.expired", "balance.low",
            "spend_limit.reached");

    protected WebhookReceiver receiver;
    protected String endpointId;
    private final List<String> endpoints = new ArrayList<>();
    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeEach
    void registerReceiver() {
        receiver = receiver();
        endpointId = register(receiver, ALL_TYPES);
    }

    WebhookReceiver receiver() {
        WebhookReceiver r = new WebhookReceiver();
        receivers.add(r);
        return r;
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
    void removeReceivers() {
        for (String id : endpoints) {
            api.raw("DELETE", "/api/v1/admin/webhook-endpoints/" + id, api.admin(), null, Map.of());
        }
        receivers.forEach(WebhookReceiver::close);
    }

    void setThreshold(String accountId, Long millicredits, String token) {
        Map<String, Object> body = new HashMap<>();
        body.put("lowBalanceMillicredits", millicredits);
        Api.Response r = api.put("/api/v1/accounts/" + accountId + "/alerts", token, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** A grant through the admin API (a grant.created event); returns the grant id. */
    String grant(String accountId, long amount, Instant expiresAt) {
        String grantId = id("g");
        Map<String, Object> body = new LinkedHashMap<>(Map.of("grantId", grantId, "accountId", accountId,
                "amountMillicredits", amount, "kind", "promotional", "reason", "events test"));
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        Api.Response r = api.post("/api/v1/admin/grants", api.admin(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return grantId;
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

    List<String> outboxTypes(String accountId) {
        return jdbc.sql("select type from events where account_id = :a order by sequence").param("a", accountId)
                .query(String.class).list();
    }

    void awaitDelivered(WebhookReceiver r, String accountId, int count) {
        boolean done = WebhookReceiver.await(DELIVERY, () -> r.deliveredOf(accountId).size() >= count);
        assertThat(done).as("%s: %s delivered of %s expected; received %s", accountId,
                r.deliveredOf(accountId).size(), count, r.of(accountId)).isTrue();
    }

    void awaitDelivered(String accountId, int count) {
        awaitDelivered(receiver, accountId, count);
    }
}
