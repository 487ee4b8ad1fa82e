package com.imagina.credits.books;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.payments.StripeTestEvents;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The books over several days with every kind of movement: purchases with bonus, goodwill, free and
 * paid play, world building, revenue share paid by hand, a partial refund, a dispute won the next
 * day and one lost. Each day's movements are checked against what the API answered for each action,
 * opening + movements = closing, closing = the sum of all balances, and the days computed live agree
 * with the same days once stored by the rollup.
 */
class BooksApiTest extends ApiTest {
    private static final String WEBHOOK_SECRET = "whsec_test_shared_by_all_instances";

    /** Days of our own, far from other tests' clocks. */
    private final LocalDate d1 = LocalDate.of(2045, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(20_000));
    private final LocalDate d2 = d1.plusDays(1);
    private final LocalDate d3 = d1.plusDays(2);

    private static Instant at(LocalDate day, int hour) {
        return day.atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    private JsonNode deliver(JsonNode event) {
        String payload = StripeTestEvents.payload(event);
        Api.Response r = api.raw("POST", "/api/v1/stripe/webhook", null, payload, Map.of("Content-Type",
                "application/json", "Stripe-Signature", StripeTestEvents.sign(payload, WEBHOOK_SECRET)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** A pack bought through the webhook; returns its payment intent. */
    private String buy(String acct, String packId, long priceCents) {
        Api.Response s = api.post("/api/v1/checkout-sessions", api.player(acct), Map.of("packId", packId));
        assertThat(s.status()).as(s.toString()).isEqualTo(201);
        String pi = "pi_books_" + id("x").replace("-", "");
        assertThat(deliver(StripeTestEvents.completed(s.json().get("id").asText(), acct, packId, priceCents, pi))
                .get("outcome").asText()).isEqualTo("granted");
        return pi;
    }

    private JsonNode turn(String acct, String worldId, String purpose) {
        String turnId = id("t");
        Map<String, Object> body = new HashMap<>(Map.of("turnId", turnId, "accountId", acct, "worldId", worldId,
                "modelId", "claude-sonnet-4-5", "purpose", purpose, "maxOutputTokens", 500, "expectedInputTokens", 6000));
        if (purpose.equals("play")) body.put("journeyId", "j-" + acct);
        Api.Response a = api.post("/api/v1/turns", api.engine(), body);
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        Api.Response s = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                Map.of("usage", Map.of("inputTokens", 6000, "outputTokens", 450)));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        return s.json();
    }

    private Map<LocalDate, JsonNode> books(LocalDate from, LocalDate to) {
        Api.Response r = api.get("/api/v1/admin/books?from=" + from + "&to=" + to, api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<LocalDate, JsonNode> out = new HashMap<>();
        r.json().get("days").forEach(d -> out.put(LocalDate.parse(d.get("day").asText()), d));
        return out;
    }

    private static long m(JsonNode day, String field) {
        return day.get(field).asLong();
    }

    @Test
    void threeDaysOfEveryMovementBalanceLiveAndOnceStored() {
        JsonNode packs = api.get("/api/v1/packs", null).json().get("packs");
        JsonNode large = null;
        for (JsonNode p : packs) if (p.get("id").asText().equals("pack-large")) large = p;
        assertThat(large).isNotNull();
        long grant = large.get("grantMillicredits").asLong();
        long bonus = large.get("bonusMillicredits").asLong();
        long price = large.get("priceCents").asLong();

        String player = id("books-p");
        String other = id("books-q");
        String owner = id("books-o");

        // Day 1: two purchases, goodwill, five free turns and paid play in the owner's world, world building.
        setClock(at(d1, 9));
        String worldId = world(owner, true);
        String pi1 = buy(player, "pack-large", price);
        String pi2 = buy(other, "pack-large", price);
        adjust(owner, 500_000);
        long freeCost = 0;
        long playCharged = 0;
        for (int i = 0; i < 7; i++) {
            JsonNode settled = turn(player, worldId, "play");
            if (settled.get("fundedBy").asText().equals("free_turn")) {
                freeCost += settled.get("costMillicredits").asLong();
            } else {
                playCharged += settled.get("chargedMillicredits").asLong();
            }
        }
        long worldText = turn(owner, worldId, "world_text").get("chargedMillicredits").asLong();
        assertThat(freeCost).isPositive();
        assertThat(playCharged).isPositive();

        Map<LocalDate, JsonNode> live = books(d1, d1);
        JsonNode day1 = live.get(d1);
        assertThat(m(day1, "purchasedMillicredits")).isEqualTo(2 * grant);
        assertThat(m(day1, "bonusMillicredits")).isEqualTo(2 * bonus);
        assertThat(m(day1, "adjustedMillicredits")).isEqualTo(500_000);
        assertThat(m(day1, "freeTurnCostMillicredits")).isEqualTo(freeCost);
        assertThat(m(day1, "consumedPlayMillicredits")).isEqualTo(playCharged);
        assertThat(m(day1, "consumedWorldTextMillicredits")).isEqualTo(worldText);
        assertThat(m(day1, "consumedMillicredits")).isEqualTo(playCharged + worldText);
        assertThat(m(day1, "uncollectedMillicredits")).isZero();
        assertThat(m(day1, "grantedMillicredits")).isZero();
        assertThat(m(day1, "expiredMillicredits")).isZero();
        assertThat(day1.get("money").get(0).get("currency").asText()).isEqualTo("usd");
        assertThat(day1.get("money").get(0).get("purchasedCents").asLong()).isEqualTo(2 * price);
        assertThat(day1.get("balanced").asBoolean()).as(day1.toString()).isTrue();
        assertThat(day1.get("closed").asBoolean()).isFalse();

        // Day 2: the owner's revenue share for day 1, a 40 % refund, a dispute of the other purchase.
        setClock(at(d2, 10));
        Api.Response payouts = api.post("/api/v1/admin/payouts", api.admin(), Map.of("through", d1.toString()));
        assertThat(payouts.status()).as(payouts.toString()).isEqualTo(200);
        long shares = 0;
        for (JsonNode p : payouts.json().get("payouts")) shares += p.get("amountMillicredits").asLong();
        assertThat(shares).isPositive();
        assertThat(deliver(StripeTestEvents.chargeRefunded(pi1, price, price * 2 / 5)).get("outcome").asText())
                .isEqualTo("refunded");
        String won = StripeTestEvents.disputeId();
        String lost = StripeTestEvents.disputeId();
        assertThat(deliver(StripeTestEvents.dispute("charge.dispute.created", won, pi2, price / 2, "needs_response"))
                .get("outcome").asText()).isEqualTo("disputed");
        assertThat(deliver(StripeTestEvents.dispute("charge.dispute.created", lost, pi1, price / 5, "needs_response"))
                .get("outcome").asText()).isEqualTo("disputed");
        // Day 3: one dispute won, the other lost.
        setClock(at(d3, 11));
        assertThat(deliver(StripeTestEvents.dispute("charge.dispute.closed", won, pi2, price / 2, "won"))
                .get("outcome").asText()).isEqualTo("dispute_reversed");
        assertThat(deliver(StripeTestEvents.dispute("charge.dispute.closed", lost, pi1, price / 5, "lost"))
                .get("outcome").asText()).isEqualTo("dispute_already_applied");

        long total = grant + bonus;
        live = books(d1, d3);
        JsonNode day2 = live.get(d2);
        JsonNode day3 = live.get(d3);
        assertThat(m(day2, "revenueShareMillicredits")).isEqualTo(shares);
        assertThat(m(day2, "refundedMillicredits")).isEqualTo(total * 2 / 5);
        assertThat(m(day2, "disputedMillicredits")).isEqualTo(total / 2 + total / 5);
        assertThat(m(day3, "disputeReversedMillicredits")).isEqualTo(total / 2);
        assertThat(m(day3, "disputedMillicredits")).isZero();
        assertThat(day2.get("money").get(0).get("refundedCents").asLong()).isEqualTo(price * 2 / 5);
        assertThat(day2.get("money").get(0).get("disputedCents").asLong()).isEqualTo(price / 2 + price / 5);
        assertThat(day3.get("money").get(0).get("disputeReversedCents").asLong()).isEqualTo(price / 2);
        for (LocalDate d : List.of(d1, d2, d3)) {
            assertThat(live.get(d).get("balanced").asBoolean()).as(live.get(d).toString()).isTrue();
        }
        assertThat(m(day2, "openingMillicredits")).isEqualTo(m(live.get(d1), "closingMillicredits"));
        assertThat(m(day3, "openingMillicredits")).isEqualTo(m(day2, "closingMillicredits"));
        long allBalances = jdbc.sql("select sum(balance_millicredits) from accounts").query(Long.class).single();
        assertThat(m(day3, "closingMillicredits")).isEqualTo(allBalances);

        // The next day, the three days are stored by the rollup: the same figures, now closed.
        setClock(at(d3.plusDays(1), 1));
        Map<LocalDate, JsonNode> stored = books(d1, d3);
        for (LocalDate d : List.of(d1, d2, d3)) {
            assertThat(stored.get(d).get("closed").asBoolean()).isTrue();
            ((com.fasterxml.jackson.databind.node.ObjectNode) stored.get(d)).remove("closed");
            ((com.fasterxml.jackson.databind.node.ObjectNode) live.get(d)).remove("closed");
            assertThat(stored.get(d)).as(d.toString()).isEqualTo(live.get(d));
        }
        int rows = jdbc.sql("select count(*) from books_days where day between :a and :b").param("a", d1)
                .param("b", d3).query(Integer.class).single();
        assertThat(rows).isEqualTo(3);

        // The clock set back into day 2 drops the stored days from there; new movements show and still balance.
        setClock(at(d2, 20));
        adjust(other, -123_000);
        Map<LocalDate, JsonNode> again = books(d1, d2);
        assertThat(m(again.get(d2), "adjustedMillicredits")).isEqualTo(-123_000);
        assertThat(again.get(d2).get("balanced").asBoolean()).as(again.get(d2).toString()).isTrue();
        assertThat(again.get(d1).get("closed").asBoolean()).isTrue();
        assertThat(again.get(d2).get("closed").asBoolean()).isFalse();

        Api.Response csv = api.get("/api/v1/admin/books.csv?from=" + d1 + "&to=" + d2, api.admin());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("day,openingMillicredits,purchasedMillicredits,bonusMillicredits");
        assertThat(lines[1]).startsWith(d1 + ",").contains(",true,");
        assertReconciled();
    }

    @Test
    void refusesBadRanges() {
        assertThat(api.get("/api/v1/admin/books?from=2026-11-24&to=2026-11-01", api.admin()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/admin/books?from=2020-01-01&to=2026-11-01", api.admin()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/admin/books?from=monday", api.admin()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/admin/books", api.player("u-1")).status()).isEqualTo(403);
    }

    @Test
    void promotionalGrantsTheirConsumptionAndExpiryCountApart() {
        LocalDate day = LocalDate.of(2200, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(20_000));
        setClock(at(day, 9));
        String player = id("books-promo");
        String worldId = world(id("books-promo-o"), true);
        adjust(player, 1_000_000);
        var g = api.post("/api/v1/admin/grants", api.admin(), Map.of("grantId", id("g"), "accountId", player,
                "amountMillicredits", 5_000, "kind", "promotional", "reason", "campaign",
                "expiresAt", at(day, 20).toString()));
        assertThat(g.status()).as(g.toString()).isEqualTo(201);
        for (int i = 0; i < 5; i++) turn(player, worldId, "play"); // the day's free turns
        long charged = turn(player, worldId, "play").get("chargedMillicredits").asLong();
        assertThat(charged).isGreaterThan(5_000);
        setClock(at(day, 21));
        account(player); // the grant is due: reading the account expires it (nothing is left of it)
        JsonNode books = books(day, day).get(day);
        assertThat(m(books, "grantedMillicredits")).isEqualTo(5_000);
        assertThat(m(books, "consumedPromotionalMillicredits")).isEqualTo(5_000);
        assertThat(m(books, "expiredMillicredits")).isZero();
        assertThat(books.get("balanced").asBoolean()).as(books.toString()).isTrue();
    }
}
