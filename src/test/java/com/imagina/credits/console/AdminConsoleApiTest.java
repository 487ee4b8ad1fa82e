package com.imagina.credits.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's own endpoints: lookup, the account overview, hold release, refunds, payouts, price preview. */
class AdminConsoleApiTest extends ApiTest {
    static final String MODEL = "claude-sonnet-4-5";

    /** Buys a pack through the simulated checkout, as the player's browser would; returns the session id. */
    String buy(String player, String packId) {
        Api.Response created = api.post("/api/v1/checkout-sessions", api.player(player), Map.of("packId", packId));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String session = created.json().get("id").asText();
        Api.Response paid = api.raw("POST", "/checkout/simulated/" + session + "/pay", null, "",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(paid.status()).as(paid.toString()).isEqualTo(303);
        return session;
    }

    String authorize(String player, String worldId) {
        String turnId = id("t");
        Api.Response r = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", player,
                "journeyId", id("j"), "worldId", worldId, "modelId", MODEL, "purpose", "world_text",
                "maxOutputTokens", 500, "expectedInputTokens", 8000));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return turnId;
    }

    JsonNode lastAudit(String accountId) {
        Api.Response r = api.get("/api/v1/admin/audit?accountId=" + accountId + "&limit=1", api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("items").get(0);
    }

    @Test
    void lookupFindsAnAccountByEveryIdSupportIsGiven() {
        String player = id("u-look");
        String session = buy(player, "pack-small");
        String turnId = authorize(player, world(id("owner"), true));
        String pi = api.get("/api/v1/admin/accounts/" + player, api.admin()).json()
                .get("purchases").get(0).get("paymentIntent").asText();
        for (String[] c : new String[][] {{player, "account"}, {turnId, "turn"}, {session, "checkout_session"},
                {pi, "payment_intent"}}) {
            Api.Response r = api.get("/api/v1/admin/lookup?q=" + URLEncoder.encode(c[0], StandardCharsets.UTF_8), api.admin());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("matches")).as(c[1]).hasSize(1);
            assertThat(r.json().get("matches").get(0).get("kind").asText()).isEqualTo(c[1]);
            assertThat(r.json().get("matches").get(0).get("accountId").asText()).isEqualTo(player);
        }
        assertThat(api.get("/api/v1/admin/lookup?q=nobody-" + player, api.admin()).json().get("matches")).isEmpty();
        assertThat(api.get("/api/v1/admin/lookup?q=" + player, api.player(player)).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/accounts/" + player, api.player(player)).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/accounts/nobody-" + player, api.admin()).json().get("code").asText())
                .isEqualTo("unknown_account");
    }

    @Test
    void releasingAStuckHoldVoidsItThroughTheEnginesPathAndIsAudited() {
        String player = id("u-hold");
        adjust(player, 500_000);
        String turnId = authorize(player, world(id("owner"), true));
        JsonNode before = api.get("/api/v1/admin/accounts/" + player, api.admin()).json();
        assertThat(before.get("openHolds")).hasSize(1);
        long hold = before.get("openHolds").get(0).get("holdMillicredits").asLong();
        assertThat(before.get("account").get("heldMillicredits").asLong()).isEqualTo(hold).isPositive();

        assertThat(api.post("/api/v1/admin/turns/" + turnId + "/release", api.admin(), Map.of()).status()).isEqualTo(400);
        Api.Response released = api.post("/api/v1/admin/turns/" + turnId + "/release", api.admin(),
                Map.of("reason", "engine crashed, ticket 42"));
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        assertThat(released.json().get("status").asText()).isEqualTo("voided");
        assertThat(released.json().get("releasedMillicredits").asLong()).isEqualTo(hold);
        JsonNode after = api.get("/api/v1/admin/accounts/" + player, api.admin()).json();
        assertThat(after.get("openHolds")).isEmpty();
        assertThat(after.get("account").get("heldMillicredits").asLong()).isZero();
        assertThat(api.get("/api/v1/turns/" + turnId, api.admin()).json().get("status").asText()).isEqualTo("voided");
        JsonNode audit = lastAudit(player);
        assertThat(audit.get("action").asText()).isEqualTo("hold_release");
        assertThat(audit.get("outcome").asText()).isEqualTo("applied");
        assertThat(audit.get("reason").asText()).isEqualTo("engine crashed, ticket 42");

        Api.Response again = api.post("/api/v1/admin/turns/" + turnId + "/release", api.admin(), Map.of("reason", "again"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("replayed").asBoolean()).isTrue();
        assertThat(lastAudit(player).get("outcome").asText()).isEqualTo("replayed");
        assertThat(balance(player)).isEqualTo(500_000);

        String settled = authorize(player, world(id("owner"), true));
        assertThat(api.post("/api/v1/turns/" + settled + "/settle", api.engine(),
                Map.of("usage", Map.of("inputTokens", 1000, "outputTokens", 100))).status()).isEqualTo(200);
        Api.Response refused = api.post("/api/v1/admin/turns/" + settled + "/release", api.admin(), Map.of("reason", "x"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asText()).isEqualTo("turn_not_open");
        assertThat(lastAudit(player).get("outcome").asText()).isEqualTo("refused");
        assertThat(api.post("/api/v1/admin/turns/nope-" + player + "/release", api.admin(), Map.of("reason", "x")).status())
                .isEqualTo(404);
        assertReconciled();
    }

    @Test
    void aRefundOfASimulatedPurchaseTakesBackItsShareOnceAndIsAudited() {
        String player = id("u-refund");
        String session = buy(player, "pack-small");
        JsonNode purchase = api.get("/api/v1/admin/accounts/" + player, api.admin()).json().get("purchases").get(0);
        long granted = purchase.get("grantedMillicredits").asLong();
        long total = purchase.get("amountTotalCents").asLong();
        assertThat(balance(player)).isEqualTo(granted).isPositive();

        Map<String, Object> half = Map.of("refundId", id("rf"), "sessionId", session, "amountCents", total / 2,
                "reason", "customer asked");
        Api.Response first = api.post("/api/v1/admin/refunds", api.admin(), half);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().get("mode").asText()).isEqualTo("simulated");
        assertThat(first.json().get("outcome").asText()).isEqualTo("refunded");
        long taken = first.json().get("takenBackMillicredits").asLong();
        assertThat(taken).isPositive();
        assertThat(balance(player)).isEqualTo(granted - taken);
        JsonNode audit = lastAudit(player);
        assertThat(audit.get("action").asText()).isEqualTo("refund");
        assertThat(audit.get("reason").asText()).isEqualTo("customer asked");

        Api.Response replay = api.post("/api/v1/admin/refunds", api.admin(), half);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.json()).isEqualTo(first.json());
        assertThat(balance(player)).isEqualTo(granted - taken);
        assertThat(lastAudit(player).get("outcome").asText()).isEqualTo("replayed");

        Api.Response tooMuch = api.post("/api/v1/admin/refunds", api.admin(), Map.of("refundId", id("rf"),
                "sessionId", session, "amountCents", total, "reason", "all of it"));
        assertThat(tooMuch.status()).isEqualTo(409);
        assertThat(tooMuch.json().get("code").asText()).isEqualTo("refund_exceeds_payment");
        assertThat(lastAudit(player).get("outcome").asText()).isEqualTo("refused");

        Api.Response rest = api.post("/api/v1/admin/refunds", api.admin(), Map.of("refundId", id("rf"),
                "sessionId", session, "amountCents", total - total / 2, "reason", "the rest"));
        assertThat(rest.status()).as(rest.toString()).isEqualTo(201);
        assertThat(balance(player)).isZero();
        JsonNode types = api.get("/api/v1/accounts/" + player + "/transactions?type=refund", api.admin()).json().get("items");
        assertThat(types).hasSize(2);
        assertThat(api.post("/api/v1/admin/refunds", api.player(player), half).status()).isEqualTo(403);
        assertReconciled();
    }

    @Test
    void payoutsShowWhatIsPendingAndWhatWasPaid() {
        setClock(Instant.parse("2026-10-05T10:00:00Z"));
        String owner = id("owner");
        String worldId = world(owner, true);
        String player = id("u-pay");
        adjust(player, 1_000_000);
        String turnId = id("t");
        assertThat(api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", player,
                "journeyId", id("j"), "worldId", worldId, "modelId", MODEL, "maxOutputTokens", 500,
                "expectedInputTokens", 8000)).status()).isEqualTo(201);
        // The free turns come first; this test only needs one charge, free or not — pay with credits instead:
        JsonNode pending;
        for (int i = 0; i < 6; i++) {
            String t = i == 0 ? turnId : id("t");
            if (i > 0) {
                api.post("/api/v1/turns", api.engine(), Map.of("turnId", t, "accountId", player, "journeyId", id("j"),
                        "worldId", worldId, "modelId", MODEL, "maxOutputTokens", 500, "expectedInputTokens", 8000));
            }
            api.post("/api/v1/turns/" + t + "/settle", api.engine(), Map.of("usage", Map.of("inputTokens", 8000,
                    "outputTokens", 400)));
        }
        pending = api.get("/api/v1/admin/payouts", api.admin()).json();
        JsonNode mine = null;
        for (JsonNode p : pending.get("pending")) if (p.get("worldId").asText().equals(worldId)) mine = p;
        assertThat(mine).as(pending.toString()).isNotNull();
        assertThat(mine.get("payable").asBoolean()).isFalse();
        long share = mine.get("shareMillicredits").asLong();
        assertThat(share).isPositive();

        setClock(Instant.parse("2026-10-06T01:00:00Z"));
        assertThat(api.post("/api/v1/admin/payouts", api.admin(), Map.of("through", "2026-10-05")).status()).isEqualTo(200);
        JsonNode after = api.get("/api/v1/admin/payouts?from=2026-10-01&to=2026-10-06", api.admin()).json();
        assertThat(after.get("pending").findValuesAsText("worldId")).doesNotContain(worldId);
        JsonNode made = null;
        for (JsonNode p : after.get("payouts")) if (p.get("worldId").asText().equals(worldId)) made = p;
        assertThat(made).isNotNull();
        assertThat(made.get("amountMillicredits").asLong()).isEqualTo(share);
        assertThat(made.get("day").asText()).isEqualTo("2026-10-05");
    }

    @Test
    void thePricePreviewShowsTheChangePerTypicalTurnAndChangesNothing() {
        JsonNode current = api.get("/api/v1/admin/models/" + MODEL + "/typical-turn", api.admin()).json();
        assertThat(current.get("firstTurnChangeMillicredits").asLong()).isZero();
        JsonNode prices = current.get("currentPrices").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) prices).put("outputUsdPerMTok", "30");
        String q = URLEncoder.encode(prices.toString(), StandardCharsets.UTF_8);
        Api.Response preview = api.get("/api/v1/admin/models/" + MODEL + "/typical-turn?prices=" + q, api.admin());
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        long output = current.get("profile").get("firstTurn").get("outputTokens").asLong();
        // outputs at $15 → $30 per MTok: + output × 15 / 10^6 USD × 1000 credits/USD × 1000
        assertThat(preview.json().get("firstTurnChangeMillicredits").asLong()).isEqualTo(output * 15);
        assertThat(api.get("/api/v1/admin/models/" + MODEL + "/typical-turn", api.admin()).json()
                .get("currentPrices").get("outputUsdPerMTok").asText()).isEqualTo(current.get("currentPrices")
                .get("outputUsdPerMTok").asText());
        assertThat(api.get("/api/v1/admin/models/" + MODEL + "/typical-turn?prices=nonsense", api.admin()).status())
                .isEqualTo(400);
        assertThat(api.get("/api/v1/admin/models/nope/typical-turn", api.admin()).status()).isEqualTo(404);
    }

    @Test
    void theAccountOverviewListsUncollectedOverruns() {
        String player = id("u-overrun");
        adjust(player, 1_000_000);
        assertThat(api.put("/api/v1/accounts/" + player + "/limits", api.admin(),
                Map.of("dailySpendLimitMillicredits", 50_000)).status()).isEqualTo(200);
        String turnId = id("t");
        assertThat(api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", player, "journeyId",
                id("j"), "worldId", world(id("owner"), true), "modelId", "claude-opus-4-1", "maxOutputTokens", 100,
                "expectedInputTokens", 40)).status()).isEqualTo(201);
        JsonNode settled = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                Map.of("usage", Map.of("inputTokens", 2000, "outputTokens", 4000))).json();
        long uncollected = settled.get("uncollectedMillicredits").asLong();
        assertThat(uncollected).isPositive();
        JsonNode overview = api.get("/api/v1/admin/accounts/" + player, api.admin()).json();
        assertThat(overview.get("uncollectedMillicredits").asLong()).isEqualTo(uncollected);
        assertThat(overview.get("uncollected").get(0).get("turnId").asText()).isEqualTo(turnId);
        assertThat(overview.get("uncollected").get(0).get("chargedMillicredits").asLong())
                .isEqualTo(settled.get("chargedMillicredits").asLong());
        assertThat(overview.get("account").get("limits").get("dailySpendLimitMillicredits").asLong()).isEqualTo(50_000);
    }

    @Test
    void aStripeCustomerIdFindsTheAccountThatPaid() throws Exception {
        String player = id("u-customer");
        Api.Response created = api.post("/api/v1/checkout-sessions", api.player(player), Map.of("packId", "pack-small"));
        String session = created.json().get("id").asText();
        JsonNode pack = api.get("/api/v1/packs", null).json().get("packs").get(0);
        String customer = "cus_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        String payload = Api.JSON.writeValueAsString(Map.of("id", "evt_" + customer, "object", "event",
                "api_version", "2024-06-20", "created", Instant.now().getEpochSecond(), "livemode", false,
                "type", "checkout.session.completed", "data", Map.of("object", Map.of("id", session,
                        "object", "checkout.session", "status", "complete", "payment_status", "paid",
                        "amount_total", pack.get("priceCents").asLong(), "currency", pack.get("currency").asText(),
                        "client_reference_id", player, "customer", customer,
                        "metadata", Map.of("packId", pack.get("id").asText(), "accountId", player),
                        "payment_intent", "pi_" + customer))));
        String signature = com.stripe.net.Webhook.Signature.generateSignatureHeader(payload,
                "whsec_test_shared_by_all_instances");
        Api.Response delivered = api.raw("POST", "/api/v1/stripe/webhook", null, payload,
                Map.of("Content-Type", "application/json", "Stripe-Signature", signature));
        assertThat(delivered.status()).as(delivered.toString()).isEqualTo(200);
        JsonNode matches = api.get("/api/v1/admin/lookup?q=" + customer, api.admin()).json().get("matches");
        assertThat(matches).hasSize(1);
        assertThat(matches.get(0).get("kind").asText()).isEqualTo("stripe_customer");
        assertThat(matches.get(0).get("accountId").asText()).isEqualTo(player);
        assertThat(matches.get(0).get("id").asText()).isEqualTo(session);
    }
}
