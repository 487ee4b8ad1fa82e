package com.imagina.credits.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.grants.GrantExpiringNotices;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.WebhookReceiver.Received;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A player's day told by webhooks, on the adjustable clock: a promotional grant that is about to expire and
 * expires, a purchase through the simulated checkout, paid turns in another owner's world, the low-balance
 * threshold crossed (once, however many turns follow — a hold released at settle does not re-arm it),
 * re-armed by a credit and crossed again, today's paid spend reaching the daily cap through a turn (once),
 * then payout night for the world's owner. The receiver is a real HTTP server that checks every signature
 * with the documented scheme; the test's own model of the alert rule says at which turn each
 * {@code balance.low} must come, and turn settlements are no events.
 */
class ScriptedDayEventsTest extends EventsTestBase {
    static final String PAID_MODEL = "claude-opus-4-1"; // credits-only: every turn is a credit hold
    static final LocalDate DAY = LocalDate.parse("2032-06-14");

    @Autowired
    GrantExpiringNotices expiringNotices;

    @Test
    void aDayOfGrantPurchaseTurnsLowBalanceCapAndPayoutIsDeliveredExactlySignedAndInOrder() {
        String player = id("player"), owner = id("owner");
        setClock(Instant.parse(DAY + "T08:00:00Z"));
        String world = world(owner, true);

        // 1. A promotional grant expiring at 08:30: created, announced by the sweep (once), expired.
        String grantId = grant(player, 10_000, Instant.parse(DAY + "T08:30:00Z"));
        expiringNotices.sweep();
        expiringNotices.sweep();
        assertThat(outboxTypes(player)).containsExactly("grant.created", "grant.expiring");
        setClock(Instant.parse(DAY + "T08:31:00Z"));
        assertThat(balance(player)).as("read lazily expires the grant").isZero();

        // 2. Purchase through the simulated checkout: the real webhook path grants the pack.
        setClock(Instant.parse(DAY + "T09:00:00Z"));
        Api.Response checkout = api.post("/api/v1/checkout-sessions", api.player(player), Map.of("packId", "pack-small"));
        assertThat(checkout.status()).as(checkout.toString()).isEqualTo(201);
        String sessionId = checkout.json().get("id").asText();
        Api.Response paid = api.raw("POST", "/checkout/simulated/" + sessionId + "/pay", null, "", Map.of());
        assertThat(paid.status()).as(paid.toString()).isEqualTo(303);
        long available = account(player).get("availableMillicredits").asLong();
        assertThat(available).isPositive();

        // 3. The player sets a threshold a little under the balance: about two turns away.
        long threshold = available - 45_000;
        setThreshold(player, threshold, api.player(player));

        // 4. Turns; the model: balance.low when a move takes the available balance from at/above the threshold
        // to below it while armed; only a credit back at or above it re-arms it.
        Model model = new Model(threshold, available);
        List<Long> expectedLowAt = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            playTurn(player, world, model, expectedLowAt);
        }
        assertThat(expectedLowAt).as("the script crosses the threshold once in four turns").hasSize(1);
        JsonNode alert = api.get("/api/v1/accounts/" + player + "/alerts", api.player(player)).json();
        assertThat(alert.get("below").asBoolean()).isTrue();
        assertThat(alert.get("armed").asBoolean()).isFalse();

        // 5. Support credits the account back above the threshold: re-armed; more turns cross it again.
        adjust(player, 100_000);
        model.credit(100_000);
        for (int i = 0; i < 4 && expectedLowAt.size() < 2; i++) {
            playTurn(player, world, model, expectedLowAt);
        }
        assertThat(expectedLowAt).hasSize(2);

        // 6. The daily cap: set so that one exact world_text turn (3·input + 15·output millicredits on Sonnet,
        // held and charged alike) brings today's paid spend to it. Refusals after it publish nothing.
        String ownWorld = world(player, false);
        long exact = 3 * 1_000 + 15 * 100;
        long spent = account(player).get("limits").get("spentTodayMillicredits").asLong();
        long cap = spent + exact;
        Api.Response capSet = api.put("/api/v1/accounts/" + player + "/limits", api.player(player),
                Map.of("dailySpendLimitMillicredits", cap));
        assertThat(capSet.status()).as(capSet.toString()).isEqualTo(200);
        String turnId = id("t");
        Api.Response held = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", player,
                "worldId", ownWorld, "modelId", SONNET, "purpose", "world_text", "expectedInputTokens", 1_000,
                "maxOutputTokens", 100));
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        model.move(-held.json().get("holdMillicredits").asLong());
        Api.Response settled = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                Map.of("usage", Map.of("inputTokens", 1_000, "outputTokens", 100)));
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        assertThat(settled.json().get("chargedMillicredits").asLong()).isEqualTo(exact);
        model.move(held.json().get("holdMillicredits").asLong() - exact);
        assertThat(account(player).get("limits").get("spentTodayMillicredits").asLong()).isEqualTo(cap);
        for (int i = 0; i < 2; i++) {
            Api.Response refused = authorize(player, world);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(402);
            assertThat(refused.json().get("code").asText()).isEqualTo("spend_limit_reached");
        }
        assertThat(api.put("/api/v1/accounts/" + player + "/limits", api.player(player),
                Map.of("dailySpendLimitMillicredits", cap - 1)).status()).isEqualTo(200);

        // 7. Payout night: past midnight, the owner is paid 20 % of the player's paid plays.
        setClock(Instant.parse(DAY.plusDays(1) + "T00:05:00Z"));
        Api.Response payout = api.post("/api/v1/admin/payouts", api.admin(), Map.of("through", DAY.toString()));
        assertThat(payout.status()).as(payout.toString()).isEqualTo(200);
        long share = (model.playCharged * 20 + 50) / 100;

        awaitDelivered(player, 7);
        awaitDelivered(owner, 1);
        List<Received> mine = receiver.deliveredOf(player);
        assertThat(receiver.typesOf(player)).containsExactly("grant.created", "grant.expiring", "grant.expired",
                "purchase.completed", "balance.low", "balance.low", "spend_limit.reached");
        assertThat(mine).extracting(Received::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(mine.get(0).event().get("data").get("grantId").asText()).isEqualTo(grantId);
        assertThat(mine.get(1).event().get("data").get("leftMillicredits").asLong()).isEqualTo(10_000);
        assertThat(mine.get(1).event().get("data").get("expiresAt").asText()).isEqualTo(DAY + "T08:30:00Z");
        assertThat(mine.get(2).event().get("data").get("expiredMillicredits").asLong()).isEqualTo(10_000);
        JsonNode purchase = mine.get(3).event().get("data");
        assertThat(purchase.get("sessionId").asText()).isEqualTo(sessionId);
        assertThat(purchase.get("amountMillicredits").asLong()).isEqualTo(purchase.get("balanceMillicredits").asLong());
        assertThat(mine.get(4).event().get("data").get("availableMillicredits").asLong()).isEqualTo(expectedLowAt.get(0));
        assertThat(mine.get(4).event().get("data").get("thresholdMillicredits").asLong()).isEqualTo(threshold);
        assertThat(mine.get(5).event().get("data").get("availableMillicredits").asLong()).isEqualTo(expectedLowAt.get(1));
        JsonNode reached = mine.get(6).event().get("data");
        assertThat(reached.get("limitMillicredits").asLong()).isEqualTo(cap);
        assertThat(reached.get("spentTodayMillicredits").asLong()).isEqualTo(cap);
        assertThat(reached.get("day").asText()).isEqualTo(DAY.toString());
        assertThat(mine.get(6).event().get("createdAt").asText()).startsWith(DAY.toString());

        List<Received> owners = receiver.deliveredOf(owner);
        assertThat(owners).extracting(Received::type).containsExactly("payout.credited");
        JsonNode payoutData = owners.get(0).event().get("data");
        assertThat(payoutData.get("worldId").asText()).isEqualTo(world);
        assertThat(payoutData.get("day").asText()).isEqualTo(DAY.toString());
        assertThat(payoutData.get("amountMillicredits").asLong()).isEqualTo(share);
        assertThat(owners.get(0).sequence()).isEqualTo(1);

        // Every request was signed with the documented scheme; the body is the contract's shape.
        for (Received r : receiver.all()) {
            assertThat(r.signatureValid()).as("signature of %s: %s", r.eventId(), r.signature()).isTrue();
        }
        JsonNode first = mine.get(0).event();
        assertThat(first.get("id").asText()).startsWith("evt_");
        assertThat(first.get("accountId").asText()).isEqualTo(player);
        assertThat(Instant.parse(first.get("createdAt").asText()))
                .isBetween(Instant.parse(DAY + "T08:00:00Z"), Instant.parse(DAY + "T08:01:00Z"));

        // The same events, from the same outbox, for the live dashboard: own account only.
        Api.Response feed = api.get("/api/v1/accounts/" + player + "/events?after=4", api.player(player));
        assertThat(feed.status()).as(feed.toString()).isEqualTo(200);
        assertThat(feed.json().get("items")).extracting(n -> n.get("id").asText())
                .containsExactly(mine.get(4).eventId(), mine.get(5).eventId(), mine.get(6).eventId());
        assertThat(feed.json().get("lastSequence").asLong()).isEqualTo(7);
        assertThat(feed.json().get("headSequence").asLong()).isEqualTo(7);
        assertThat(feed.json().get("lowBalance").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/accounts/" + player + "/events?after=7", api.player(player)).json()
                .get("items")).isEmpty();
        assertThat(api.get("/api/v1/accounts/" + player + "/events", api.player(owner)).status()).isEqualTo(403);

        // Nothing else was published for them (turns are no events), and the ledger still reconciles.
        assertThat(outboxCount(player)).isEqualTo(7);
        assertThat(outboxCount(owner)).isEqualTo(1);
        assertReconciled();
    }

    /** The test's own model of the alert: threshold, available balance, armed. */
    static final class Model {
        final long threshold;
        long available;
        boolean armed;
        long playCharged;

        Model(long threshold, long available) {
            this.threshold = threshold;
            this.available = available;
            this.armed = available >= threshold;
        }

        /** A move of the available balance by {@code delta}; true when it must publish balance.low. */
        boolean move(long delta) {
            long before = available;
            available += delta;
            if (armed && before >= threshold && available < threshold) {
                armed = false;
                return true;
            }
            return false;
        }

        void credit(long amount) {
            available += amount;
            if (!armed && available >= threshold) armed = true;
        }
    }

    private Api.Response authorize(String player, String world) {
        return api.post("/api/v1/turns", api.engine(), Map.of("turnId", id("t"), "accountId", player,
                "journeyId", "j-" + player, "worldId", world, "modelId", PAID_MODEL, "purpose", "play",
                "maxOutputTokens", 200, "expectedInputTokens", 1_000));
    }

    /** A play turn held for 200 output tokens that uses 50: the settle gives part of the hold back. */
    private void playTurn(String player, String world, Model model, List<Long> expectedLowAt) {
        Api.Response held = authorize(player, world);
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        long hold = held.json().get("holdMillicredits").asLong();
        if (model.move(-hold)) {
            expectedLowAt.add(model.available);
        }
        assertThat(held.json().get("availableMillicredits").asLong()).isEqualTo(model.available);
        String turnId = held.json().get("turnId").asText();
        Api.Response settled = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), Map.of("usage",
                Map.of("inputTokens", 1_000, "outputTokens", 50)));
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        long charged = settled.json().get("chargedMillicredits").asLong();
        model.playCharged += charged;
        if (model.move(hold - charged)) {
            expectedLowAt.add(model.available);
        }
    }
}
