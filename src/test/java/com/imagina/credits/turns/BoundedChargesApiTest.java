package com.imagina.credits.turns;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import com.imagina.credits.support.OtherInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prepaid means prepaid (contract v1.1 "Holds and overruns", "Journeys"): no zero hold, a settle
 * collects at most the hold plus what is available (plus the allowed overdraft) within today's cap, the
 * rest is uncollected and visible; a journey belongs to the account of its first turn.
 */
class BoundedChargesApiTest extends ApiTest {
    static final String SONNET = TurnsApiTest.SONNET;
    static final String OPUS = TurnsApiTest.OPUS;

    @Autowired
    ApplicationContext context;

    private Map<String, Object> authorize(String turnId, String acct, String journey, String world, String model,
            Long maxOut, Long expectedIn) {
        Map<String, Object> body = new HashMap<>();
        body.put("turnId", turnId);
        body.put("accountId", acct);
        body.put("journeyId", journey);
        body.put("worldId", world);
        body.put("modelId", model);
        if (maxOut != null) body.put("maxOutputTokens", maxOut);
        if (expectedIn != null) body.put("expectedInputTokens", expectedIn);
        return body;
    }

    private static Map<String, Object> usage(long input, long output) {
        return Map.of("usage", Map.of("inputTokens", input, "outputTokens", output));
    }

    private JsonNode settleOk(Api via, String turnId, long input, long output) {
        var s = via.post("/api/v1/turns/" + turnId + "/settle", via.engine(), usage(input, output));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        return s.json();
    }

    private void limit(String acct, Long limit) {
        Map<String, Object> body = new HashMap<>();
        body.put("dailySpendLimitMillicredits", limit);
        var r = api.put("/api/v1/accounts/" + acct + "/limits", api.admin(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void aZeroSizedTurnStillHoldsTheMinimumSoAnEmptyAccountOrAZeroCapGets402() {
        String w = world(id("owner"), true);
        String empty = id("u");
        var r = api.post("/api/v1/turns", api.engine(), authorize(id("t"), empty, id("j"), w, OPUS, 0L, 0L));
        assertThat(r.status()).as(r.toString()).isEqualTo(402);
        assertThat(r.json().get("code").asText()).isEqualTo("insufficient_credits");
        assertThat(r.json().get("requiredMillicredits").asLong()).isEqualTo(1_000);

        String capped = id("u");
        adjust(capped, 1_000_000);
        limit(capped, 0L);
        var c = api.post("/api/v1/turns", api.engine(), authorize(id("t"), capped, id("j"), w, OPUS, 0L, 0L));
        assertThat(c.status()).as(c.toString()).isEqualTo(402);
        assertThat(c.json().get("code").asText()).isEqualTo("spend_limit_reached");

        String funded = id("u");
        adjust(funded, 5_000);
        var ok = api.post("/api/v1/turns", api.engine(), authorize(id("t"), funded, id("j"), w, OPUS, 0L, 0L));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertThat(ok.json().get("holdMillicredits").asLong()).isEqualTo(1_000);
        // The Opus turn that once took an account to -900,000,000: now it collects what there is.
        JsonNode s = settleOk(api, ok.json().get("turnId").asText(), 10_000_000, 10_000_000);
        assertThat(s.get("chargedMillicredits").asLong()).isEqualTo(5_000);
        assertThat(s.get("uncollectedMillicredits").asLong())
                .isEqualTo(s.get("costMillicredits").asLong() - 5_000);
        assertThat(s.get("balanceMillicredits").asLong()).isZero();
        assertReconciled();
    }

    @Test
    void anOverrunNeverPassesTodaysCapAndIsListedForAdmins() {
        String w = world(id("owner"), true);
        String acct = id("u");
        adjust(acct, 1_000_000);
        limit(acct, 50_000L);
        String t = id("t");
        var a = api.post("/api/v1/turns", api.engine(), authorize(t, acct, id("j"), w, OPUS, 40L, 100L));
        assertThat(a.json().get("holdMillicredits").asLong()).isEqualTo(4_500);
        JsonNode s = settleOk(api, t, 2_000, 4_000); // 30,000 + 300,000
        assertThat(s.get("costMillicredits").asLong()).isEqualTo(330_000);
        assertThat(s.get("chargedMillicredits").asLong()).isEqualTo(50_000);
        assertThat(s.get("uncollectedMillicredits").asLong()).isEqualTo(280_000);
        JsonNode limits = account(acct).get("limits");
        assertThat(limits.get("spentTodayMillicredits").asLong()).isEqualTo(50_000);

        var overruns = api.get("/api/v1/admin/overruns?accountId=" + acct, api.admin());
        assertThat(overruns.status()).as(overruns.toString()).isEqualTo(200);
        assertThat(overruns.json().get("totalMillicredits").asLong()).isEqualTo(280_000);
        assertThat(overruns.json().get("items").get(0).get("turnId").asText()).isEqualTo(t);
        assertThat(api.get("/api/v1/admin/overruns", api.player(acct)).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/turns/" + t + "/explanation", api.player(acct)).json()
                .get("uncollectedMillicredits").asLong()).isEqualTo(280_000);
        assertReconciled();
    }

    @Test
    void anOverrunNeverTakesTheCreditsAnotherOpenHoldReserved() {
        String w = world(id("owner"), true);
        String acct = id("u");
        String journey = id("j");
        adjust(acct, 20_000);
        String first = id("t"), second = id("t");
        assertThat(api.post("/api/v1/turns", api.engine(), authorize(first, acct, journey, w, OPUS, 40L, 100L))
                .status()).isEqualTo(201);
        assertThat(api.post("/api/v1/turns", api.engine(), authorize(second, acct, journey, w, OPUS, 40L, 100L))
                .status()).isEqualTo(201);
        JsonNode s = settleOk(api, first, 10_000, 1_000); // 225,000 of cost
        assertThat(s.get("chargedMillicredits").asLong()).isEqualTo(20_000 - 4_500);
        assertThat(s.get("balanceMillicredits").asLong()).isEqualTo(4_500);
        JsonNode other = settleOk(api, second, 100, 40);
        assertThat(other.get("chargedMillicredits").asLong()).isEqualTo(4_500);
        assertThat(other.get("uncollectedMillicredits").asLong()).isZero();
        assertThat(balance(acct)).isZero();
        assertReconciled();
    }

    @Test
    void anAllowedOverdraftIsTheFloorAndTheCalibratedLowIsTheMinimumHold() throws Exception {
        try (OtherInstance other = OtherInstance.start(context, "--credits.holds.max-overdraft-millicredits=10000",
                "--credits.holds.minimum-from-estimate=true")) {
            Api via = other.api();
            String w = world(id("owner"), true);
            String acct = id("u");
            adjust(acct, 200_000);
            long low = lowEstimate(via, acct, w);
            assertThat(low).isPositive();
            String t = id("t");
            var a = via.post("/api/v1/turns", via.engine(), authorize(t, acct, id("j"), w, OPUS, 0L, 0L));
            assertThat(a.status()).as(a.toString()).isEqualTo(201);
            // The calibrated low is the minimum hold, never below the 1,000-millicredit floor. The low is the
            // model's calibration over every turn the suite settled before this instance started (a new world
            // has none of its own), so it may lie on either side of the floor.
            assertThat(a.json().get("holdMillicredits").asLong()).isEqualTo(Math.max(low, 1_000));
            JsonNode s = settleOk(via, t, 100_000, 10_000); // 1,500,000 + 750,000
            assertThat(s.get("chargedMillicredits").asLong()).isEqualTo(210_000);
            assertThat(s.get("balanceMillicredits").asLong()).isEqualTo(-10_000);
            assertThat(s.get("uncollectedMillicredits").asLong()).isEqualTo(2_250_000 - 210_000);
        }
        assertReconciled();
    }

    private static long lowEstimate(Api via, String acct, String world) {
        for (JsonNode m : via.get("/api/v1/models?worldId=" + world, via.player(acct)).json().get("models")) {
            if (m.get("id").asText().equals(OPUS)) {
                return m.at("/estimate/lowMillicredits").asLong();
            }
        }
        throw new AssertionError("no " + OPUS);
    }

    @Test
    void aJourneyBelongsToTheAccountOfItsFirstTurn() {
        String w = world(id("owner"), true);
        String alice = id("alice"), bob = id("bob");
        String journey = id("j");
        adjust(alice, 100_000);
        adjust(bob, 100_000);
        String at = id("t");
        assertThat(api.post("/api/v1/turns", api.engine(), authorize(at, alice, journey, w, SONNET, 40L, 100L))
                .status()).isEqualTo(201);
        settleOk(api, at, 100, 40);
        var b = api.post("/api/v1/turns", api.engine(), authorize(id("t"), bob, journey, w, SONNET, 40L, 100L));
        assertThat(b.status()).as(b.toString()).isEqualTo(409);
        assertThat(b.json().get("code").asText()).isEqualTo("journey_conflict");
        assertThat(account(bob).get("heldMillicredits").asLong()).isZero();
        assertThat(account(bob).at("/freeTurns/remaining").asInt()).isEqualTo(5);

        var alicePanel = api.get("/api/v1/journeys/" + journey + "/costs", api.player(alice));
        assertThat(alicePanel.status()).as(alicePanel.toString()).isEqualTo(200);
        assertThat(alicePanel.json().get("recentTurns").size()).isEqualTo(1);
        assertThat(api.get("/api/v1/journeys/" + journey + "/costs", api.player(bob)).status()).isEqualTo(403);
        // A replay of alice's turn is still her first answer, not a conflict.
        assertThat(api.post("/api/v1/turns", api.engine(), authorize(at, alice, journey, w, SONNET, 40L, 100L))
                .status()).isEqualTo(201);
        assertReconciled();
    }

    @Test
    void concurrentFirstTurnsOfTwoAccountsOnOneJourneyLetExactlyOneOwnIt() throws Exception {
        String w = world(id("owner"), true);
        for (int round = 0; round < 5; round++) {
            String journey = id("j");
            List<String> accounts = List.of(id("a"), id("b"), id("c"), id("d"));
            ExecutorService pool = Executors.newFixedThreadPool(accounts.size());
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Api.Response>> calls = new ArrayList<>();
                for (String acct : accounts) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return api.post("/api/v1/turns", api.engine(),
                                authorize(id("t"), acct, journey, w, SONNET, 40L, 100L));
                    }));
                }
                go.countDown();
                int created = 0, conflicts = 0;
                for (Future<Api.Response> call : calls) {
                    Api.Response r = call.get();
                    if (r.status() == 201) created++;
                    else if (r.status() == 409 && r.json().get("code").asText().equals("journey_conflict")) conflicts++;
                    else throw new AssertionError(r.toString());
                }
                assertThat(created).isEqualTo(1);
                assertThat(conflicts).isEqualTo(accounts.size() - 1);
            } finally {
                pool.shutdownNow();
            }
        }
        assertReconciled();
    }

    @Test
    void extremePricesAndCountsAreRefusedWithACodeNeverA500() {
        String model = id("m-extreme");
        Map<String, Object> prices = new HashMap<>(Map.of("inputUsdPerMTok", "100000", "cacheReadUsdPerMTok", "100000",
                "cacheWriteUsdPerMTok", "100000", "outputUsdPerMTok", "100000", "usdPerImage", "100000",
                "usdPerWebSearch", "100000"));
        Map<String, Object> body = new HashMap<>(Map.of("name", "Extreme", "provider", "anthropic", "tier", "standard",
                "creditsOnly", true, "isDefault", false, "cacheTtlSeconds", 300, "prices", prices));
        var put = api.put("/api/v1/admin/models/" + model, api.admin(), body);
        assertThat(put.status()).as("100,000 USD is the largest price").isEqualTo(200);
        prices.put("usdPerImage", "100000.01");
        var tooMuch = api.put("/api/v1/admin/models/" + id("m-extreme"), api.admin(), body);
        assertThat(tooMuch.status()).as(tooMuch.toString()).isEqualTo(400);
        assertThat(tooMuch.json().get("code").asText()).isEqualTo("invalid_request");

        String w = world(id("owner"), true);
        String acct = id("u");
        adjust(acct, 1_000_000_000_000L);
        String t = id("t");
        var a = api.post("/api/v1/turns", api.engine(), authorize(t, acct, id("j"), w, model, 1L, 1L));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        // 10^7 images and searches at 100,000 USD each: 2·10^18 millicredits, above any turn's limit.
        var s = api.post("/api/v1/turns/" + t + "/settle", api.engine(), Map.of("usage", Map.of("inputTokens", 1,
                "outputTokens", 1, "images", 10_000_000, "webSearchRequests", 10_000_000)));
        assertThat(s.status()).as(s.toString()).isEqualTo(409);
        assertThat(s.json().get("code").asText()).isEqualTo("amount_out_of_range");
        assertThat(api.get("/api/v1/turns/" + t, api.engine()).json().get("status").asText()).isEqualTo("authorized");
        JsonNode ok = settleOk(api, t, 1, 1);
        assertThat(ok.get("chargedMillicredits").asLong()).isEqualTo(200_000);
        assertReconciled();
    }
}
