package com.imagina.credits.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckoutApiTest extends PaymentsApiTestBase {
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");

    @Test
    void thePackCatalogIsPublicAndPricedAtTheCreditRate() {
        Api.Response r = api.get("/api/v1/packs", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode packs = r.json().get("packs");
        assertThat(packs).hasSize(4);
        assertThat(packs.get(0).toString()).isEqualTo("""
                {"id":"pack-small","name":"Small","priceCents":500,"currency":"usd","grantMillicredits":5000000,\
                "bonusMillicredits":0}""");
        assertThat(packs.get(1).get("bonusMillicredits").asLong()).isEqualTo(500_000);
        assertThat(packs.get(2).get("id").asText()).isEqualTo("pack-large");
        assertThat(packs.get(2).get("grantMillicredits").asLong()).isEqualTo(25_000_000);
        assertThat(packs.get(2).get("bonusMillicredits").asLong()).isEqualTo(2_500_000);
        assertThat(packs.get(3).get("grantMillicredits").asLong()).isEqualTo(50_000_000);
        assertThat(packs.get(3).get("bonusMillicredits").asLong()).isEqualTo(10_000_000);
    }

    @Test
    void startingACheckoutChecksItsCallerAndBody() {
        String acct = id("u");
        String player = api.player(acct);
        Api.Response unknown = api.post("/api/v1/checkout-sessions", player, Map.of("packId", "pack-gigantic"));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.json().get("code").asText()).isEqualTo("unknown_pack");
        for (String body : List.of("{not json", "{}", "{\"packId\":\"\"}", "{\"packId\":5}", "[]", "")) {
            Api.Response bad = api.raw("POST", "/api/v1/checkout-sessions", player, body,
                    Map.of("Content-Type", "application/json"));
            assertThat(bad.status()).as(body + " -> " + bad).isEqualTo(400);
            assertThat(bad.json().get("code").asText()).isEqualTo("invalid_request");
        }
        assertThat(api.post("/api/v1/checkout-sessions", null, Map.of("packId", "pack-small")).status())
                .isEqualTo(401);
        assertThat(api.post("/api/v1/checkout-sessions", api.engine(), Map.of("packId", "pack-small")).status())
                .isEqualTo(403);
        assertThat(jdbc.sql("select count(*) from checkout_sessions where account_id = :a").param("a", acct)
                .query(Long.class).single()).isZero();

        String sessionId = checkout(acct, "pack-small");
        assertThat(api.get("/api/v1/checkout-sessions/" + sessionId, player).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/checkout-sessions/" + sessionId, api.player(id("other"))).status())
                .isEqualTo(403);
        Api.Response missing = api.get("/api/v1/checkout-sessions/cs_sim_nope", player);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asText()).isEqualTo("unknown_checkout_session");
    }

    @Test
    void theSimulatedCheckoutGrantsThePackOnceOverHttp() {
        String acct = id("u");
        String player = api.player(acct);
        Api.Response created = api.post("/api/v1/checkout-sessions", player, Map.of("packId", "pack-medium"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String sessionId = created.json().get("id").asText();
        String url = created.json().get("url").asText();
        assertThat(sessionId).startsWith("cs_sim_");
        assertThat(url).isEqualTo(api.baseUrl() + "/checkout/simulated/" + sessionId);
        JsonNode state = api.get("/api/v1/checkout-sessions/" + sessionId, player).json();
        assertThat(state.get("status").asText()).isEqualTo("open");
        assertThat(state.get("amountCents").asLong()).isEqualTo(1000);

        String path = URI.create(url).getPath();
        Api.Response page = api.get(path, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("Medium").contains("10.00 USD").contains("10000 + 500 bonus")
                .contains("action=\"" + path + "/pay\"").contains("href=\"/buy/cancel\"")
                .doesNotContain("<script src").doesNotContain("https://")
                .doesNotContain("http://");

        Api.Response paid = api.raw("POST", path + "/pay", null, "", FORM);
        assertThat(paid.status()).as(paid.toString()).isEqualTo(303);
        assertThat(paid.headers().get("location")).containsExactly("/buy/success?session_id=" + sessionId);
        assertThat(balance(acct)).isEqualTo(10_500_000);
        assertThat(amounts(acct, "purchase")).containsExactly(10_500_000L);
        state = api.get("/api/v1/checkout-sessions/" + sessionId, player).json();
        assertThat(state.get("status").asText()).isEqualTo("paid");
        assertThat(state.get("grantedMillicredits").asLong()).isEqualTo(10_500_000);

        Api.Response again = api.raw("POST", path + "/pay", null, "", FORM);
        assertThat(again.status()).isEqualTo(303);
        assertThat(balance(acct)).isEqualTo(10_500_000);
        JsonNode events = api.get("/api/v1/admin/stripe-events?sessionId=" + sessionId, api.admin()).json()
                .get("items");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("outcome").asText()).isEqualTo("already_granted");
        assertThat(events.get(1).get("outcome").asText()).isEqualTo("granted");
        assertThat(events.get(1).get("type").asText()).isEqualTo("checkout.session.completed");
        assertThat(events.get(1).get("apiVersion").asText()).isEqualTo(com.stripe.Stripe.API_VERSION);
        assertThat(events.get(1).get("paymentIntent").asText()).startsWith("pi_sim_");

        // The simulated payment is a real, refundable Stripe-shaped payment.
        String pi = events.get(1).get("paymentIntent").asText();
        assertThat(deliver(StripeTestEvents.chargeRefunded(pi, 1000, 1000)).get("outcome").asText())
                .isEqualTo("refunded");
        assertThat(balance(acct)).isZero();
        assertReconciled();
    }

    @Test
    void onlySimulatedSessionsHaveACheckoutPage() {
        assertThat(api.get("/checkout/simulated/cs_sim_unknown", null).status()).isEqualTo(404);
        assertThat(api.raw("POST", "/checkout/simulated/cs_sim_unknown/pay", null, "", FORM).status())
                .isEqualTo(404);
        String acct = id("u");
        String elsewhere = "cs_test_" + id("x");
        deliver(StripeTestEvents.sessionEvent("checkout.session.completed", elsewhere, acct, "pack-small", 500, "usd",
                "unpaid", paymentIntent()));
        assertThat(api.get("/checkout/simulated/" + elsewhere, null).status()).isEqualTo(404);
        assertThat(api.raw("POST", "/checkout/simulated/" + elsewhere + "/pay", null, "", FORM).status())
                .isEqualTo(404);
        assertThat(balance(acct)).isZero();
    }
}
