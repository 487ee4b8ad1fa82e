package com.imagina.credits.books;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The business metrics on /actuator/prometheus move by exactly what the ledger moved. */
class BusinessMetricsTest extends ApiTest {
    private static final Pattern LINE = Pattern.compile("^(credits_[a-z_]+)(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

    Map<String, Long> scrape() {
        Api.Response r = api.get("/actuator/prometheus", api.admin());
        assertThat(r.status()).isEqualTo(200);
        Map<String, Long> values = new HashMap<>();
        Matcher m = LINE.matcher(r.body());
        while (m.find()) {
            values.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), (long) Double.parseDouble(m.group(3)));
        }
        return values;
    }

    /** Polls (the figures are at most a few seconds old) until {@code done} holds, or fails at the deadline. */
    Map<String, Long> awaitScrape(Predicate<Map<String, Long>> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Map<String, Long> now = scrape();
        while (!done.test(now)) {
            assertThat(Instant.now()).as("metrics did not catch up: " + now).isBefore(deadline);
            Thread.sleep(250);
            now = scrape();
        }
        return now;
    }

    static long delta(Map<String, Long> after, Map<String, Long> before, String name) {
        return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
    }

    @Test
    void purchasesConsumptionRefundsHoldsAndFreeTurnsAreCountedExactly() throws InterruptedException {
        Map<String, Long> before = scrape();
        assertThat(before).containsKeys("credits_purchased_millicredits_total", "credits_holds_open",
                "credits_outstanding_millicredits", "credits_free_turns_used_today");
        String player = id("u-metrics");
        Api.Response created = api.post("/api/v1/checkout-sessions", api.player(player), Map.of("packId", "pack-small"));
        String session = created.json().get("id").asText();
        assertThat(api.raw("POST", "/checkout/simulated/" + session + "/pay", null, "",
                Map.of("Content-Type", "application/x-www-form-urlencoded")).status()).isEqualTo(303);
        long granted = balance(player);
        String worldId = world(id("owner"), true);
        long consumed = 0;
        for (int i = 0; i < 6; i++) { // five free turns, then a paid one
            String turnId = id("t");
            assertThat(api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", player, "journeyId",
                    id("j"), "worldId", worldId, "modelId", "claude-sonnet-4-5", "maxOutputTokens", 500,
                    "expectedInputTokens", 8000)).status()).isEqualTo(201);
            Api.Response settled = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                    Map.of("usage", Map.of("inputTokens", 8000, "outputTokens", 400)));
            consumed += settled.json().get("chargedMillicredits").asLong();
        }
        assertThat(consumed).isPositive();
        Api.Response refund = api.post("/api/v1/admin/refunds", api.admin(), Map.of("refundId", id("rf"),
                "sessionId", session, "amountCents", 100, "reason", "metrics"));
        long refunded = refund.json().get("takenBackMillicredits").asLong();
        Api.Response hold = api.post("/api/v1/turns", api.engine(), Map.of("turnId", id("t"), "accountId", player,
                "journeyId", id("j"), "worldId", worldId, "modelId", "claude-sonnet-4-5", "maxOutputTokens", 500,
                "expectedInputTokens", 8000));
        long held = hold.json().get("holdMillicredits").asLong();
        long finalConsumed = consumed;

        Map<String, Long> after = awaitScrape(now -> delta(now, before, "credits_purchased_millicredits_total") == granted
                && delta(now, before, "credits_holds_open") == 1);
        assertThat(delta(after, before, "credits_consumed_millicredits_total{purpose=\"play\"}")).isEqualTo(finalConsumed);
        assertThat(delta(after, before, "credits_refunded_millicredits_total")).isEqualTo(refunded).isPositive();
        assertThat(delta(after, before, "credits_holds_held_millicredits")).isEqualTo(held);
        assertThat(delta(after, before, "credits_free_turns_used_today")).isEqualTo(5);
        assertThat(delta(after, before, "credits_free_turns_cost_millicredits_total")).isEqualTo(5 * finalConsumed);
        assertThat(delta(after, before, "credits_outstanding_millicredits")).isEqualTo(granted - finalConsumed - refunded);
        assertThat(after.get("credits_outstanding_millicredits")).isEqualTo(jdbc.sql(
                "select coalesce(sum(balance_millicredits), 0) from accounts").query(Long.class).single());
    }
}
