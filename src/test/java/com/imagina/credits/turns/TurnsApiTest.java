package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's two-phase charge over real HTTP: free turns first, real usage, holds, voids, expiry. */
class TurnsApiTest extends ApiTest {
    static final String SONNET = "claude-sonnet-4-5";
    static final String OPUS = "claude-opus-4-1";

    private Map<String, Object> authorize(String turnId, String acct, String world, String model, String purpose,
            Long maxOut, Long expectedIn) {
        Map<String, Object> body = new HashMap<>();
        body.put("turnId", turnId);
        body.put("accountId", acct);
        body.put("journeyId", "j-" + acct);
        body.put("worldId", world);
        body.put("modelId", model);
        if (purpose != null) body.put("purpose", purpose);
        if (maxOut != null) body.put("maxOutputTokens", maxOut);
        if (expectedIn != null) body.put("expectedInputTokens", expectedIn);
        return body;
    }

    private Api.Response post(Map<String, Object> body) {
        return api.post("/api/v1/turns", api.engine(), body);
    }

    private Api.Response settle(String turnId, Object body) {
        return api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), body);
    }

    private static Map<String, Object> usage(long input, long output) {
        return Map.of("usage", Map.of("inputTokens", input, "outputTokens", output));
    }

    @Test
    void freeTurnsComeFirstEvenWithCreditsThenCredits() {
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 1_000_000);
        for (int i = 1; i <= 5; i++) {
            String t = id("t");
            var a = post(authorize(t, acct, w, SONNET, null, 500L, 8_000L));
            assertThat(a.status()).as(a.toString()).isEqualTo(201);
            assertThat(a.json().get("fundedBy").asText()).isEqualTo("free_turn");
            assertThat(a.json().get("holdMillicredits").asLong()).isZero();
            assertThat(a.json().get("freeTurnsRemaining").asInt()).isEqualTo(5 - i);
            var s = settle(t, usage(8_000, 400));
            assertThat(s.status()).as(s.toString()).isEqualTo(200);
            // 8,000 × $3/M + 400 × $15/M = $0.030 = 30 credits = 30,000 millicredits
            assertThat(s.json().get("costMillicredits").asLong()).isEqualTo(30_000);
            assertThat(s.json().get("chargedMillicredits").asLong()).isZero();
            assertThat(s.json().get("balanceMillicredits").asLong()).isEqualTo(1_000_000);
        }
        String paid = id("t");
        var a = post(authorize(paid, acct, w, SONNET, null, 1024L, 6_000L));
        assertThat(a.json().get("fundedBy").asText()).isEqualTo("credits");
        // 6,000 × $3/M + 1,024 × $15/M = $0.03336 → 33,360 millicredits
        assertThat(a.json().get("holdMillicredits").asLong()).isEqualTo(33_360);
        assertThat(a.json().get("availableMillicredits").asLong()).isEqualTo(1_000_000 - 33_360);
        var s = settle(paid, usage(8_000, 400));
        assertThat(s.json().get("chargedMillicredits").asLong()).isEqualTo(30_000);
        assertThat(s.json().get("balanceMillicredits").asLong()).isEqualTo(970_000);
        JsonNode acc = account(acct);
        assertThat(acc.get("heldMillicredits").asLong()).isZero();
        assertThat(acc.at("/freeTurns/remaining").asInt()).isZero();

        JsonNode items = api.get("/api/v1/accounts/" + acct + "/transactions", api.player(acct)).json().get("items");
        assertThat(items.get(0).get("type").asText()).isEqualTo("turn");
        assertThat(items.get(0).get("amountMillicredits").asLong()).isEqualTo(-30_000);
        assertThat(items.get(1).get("type").asText()).isEqualTo("free_turn");
        assertThat(items.get(1).get("amountMillicredits").asLong()).isZero();
        assertThat(items.get(1).get("fullCostMillicredits").asLong()).isEqualTo(30_000);
        assertThat(items.get(1).get("modelId").asText()).isEqualTo(SONNET);
        assertThat(items.get(1).get("worldId").asText()).isEqualTo(w);
        assertReconciled();
    }

    @Test
    void creditsOnlyModelRefusesWithASwitchOfferWhileFreeTurnsRemain() {
        String acct = id("u");
        String w = world(id("owner"), true);
        var r = post(authorize(id("t"), acct, w, OPUS, null, 1000L, 5000L));
        assertThat(r.status()).as(r.toString()).isEqualTo(402);
        JsonNode p = r.json();
        assertThat(p.get("code").asText()).isEqualTo("insufficient_credits");
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(p.get("availableMillicredits").asLong()).isZero();
        // 5,000 × $15/M + 1,000 × $75/M = $0.15 → 150,000 millicredits
        assertThat(p.get("requiredMillicredits").asLong()).isEqualTo(150_000);
        assertThat(p.get("freeTurnsRemaining").asInt()).isEqualTo(5);
        assertThat(p.at("/suggestedModel/id").asText()).isEqualTo(SONNET);
        assertThat(p.at("/suggestedModel/estimatedMillicredits").asLong()).isPositive();
        // On an eligible model the same player just plays a free turn.
        assertThat(post(authorize(id("t"), acct, w, SONNET, null, 1000L, 5000L)).json().get("fundedBy").asText())
                .isEqualTo("free_turn");
        // An image turn is offered an eligible image model or nothing: never a text model (the catalog's
        // only image model is credits-only, so nothing here).
        Map<String, Object> image = new HashMap<>(authorize(id("t"), acct, w, "gemini-2-5-flash-image", null, 0L, 600L));
        image.put("expectedImages", 1);
        var imageRefused = post(image);
        assertThat(imageRefused.status()).as(imageRefused.toString()).isEqualTo(402);
        assertThat(imageRefused.json().get("freeTurnsRemaining").asInt()).isEqualTo(4);
        assertThat(imageRefused.json().get("suggestedModel").isNull()).as(imageRefused.toString()).isTrue();
        // A credits-only refusal without free turns left offers nothing.
        String broke = id("u");
        for (int i = 0; i < 5; i++) post(authorize(id("t"), broke, w, SONNET, null, 10L, 10L));
        var none = post(authorize(id("t"), broke, w, OPUS, null, 1000L, 5000L));
        assertThat(none.status()).isEqualTo(402);
        assertThat(none.json().get("freeTurnsRemaining").asInt()).isZero();
        assertThat(none.json().get("suggestedModel").isNull()).isTrue();
        // With credits, the credits-only model is charged credits.
        adjust(acct, 200_000);
        var ok = post(authorize(id("t"), acct, w, OPUS, null, 1000L, 5000L));
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().get("fundedBy").asText()).isEqualTo("credits");
        assertThat(ok.json().get("holdMillicredits").asLong()).isEqualTo(150_000);
    }

    @Test
    void providerUsageFormsAreChargedExactly() {
        String acct = id("u");
        String w = world(acct, false);
        adjust(acct, 10_000_000);
        record Vector(String model, Map<String, Object> body, long expected) {}
        var vectors = java.util.List.of(
                // Opus: 5,200 in × 15 + 800 read × 1.50 + 600 5m-writes × 18.75 + 400 1h-writes × 30 + 412 out × 75
                //  = 78,000 + 1,200 + 11,250 + 12,000 + 30,900 = 133,350 µUSD → 133,350 millicredits
                new Vector(OPUS, Map.of("anthropicUsage", Map.of("input_tokens", 5200, "cache_read_input_tokens", 800,
                        "cache_creation_input_tokens", 1000, "output_tokens", 412, "cache_creation",
                        Map.of("ephemeral_5m_input_tokens", 600, "ephemeral_1h_input_tokens", 400))), 133_350),
                // GPT-5: (6,000 − 800) × 1.25 + 800 × 0.125 + 412 × 10 (reasoning already inside) = 10,720
                new Vector("gpt-5", Map.of("openaiUsage", Map.of("prompt_tokens", 6000, "completion_tokens", 412,
                        "prompt_tokens_details", Map.of("cached_tokens", 800),
                        "completion_tokens_details", Map.of("reasoning_tokens", 100))), 10_720),
                // Gemini 2.5 Pro: (6,000 − 800) × 1.25 + 800 × 0.125 + (300 + 112) × 10 = 10,720
                new Vector("gemini-2-5-pro", Map.of("geminiUsage", Map.of("promptTokenCount", 6000,
                        "cachedContentTokenCount", 800, "candidatesTokenCount", 300, "thoughtsTokenCount", 112,
                        "toolUsePromptTokenCount", 0)), 10_720),
                // GPT-5 Responses: (6,000 − 800) × 1.25 + 800 × 0.125 + 412 × 10 = 10,720
                new Vector("gpt-5", Map.of("openaiResponsesUsage", Map.of("input_tokens", 6000,
                        "input_tokens_details", Map.of("cached_tokens", 800, "cache_write_tokens", 0),
                        "output_tokens", 412, "output_tokens_details", Map.of("reasoning_tokens", 100))), 10_720),
                // Sonnet with 2 web searches: 1,000 × 3 + 100 × 15 = 4,500 µUSD + 2 × $0.01 = 24,500
                new Vector(SONNET, Map.of("usage", Map.of("inputTokens", 1000, "outputTokens", 100),
                        "webSearchRequests", 2), 24_500));
        long balance = 10_000_000;
        for (Vector v : vectors) {
            String t = id("t");
            var a = post(authorize(t, acct, w, v.model(), "world_text", 1000L, 6000L));
            assertThat(a.status()).as(a.toString()).isEqualTo(201);
            assertThat(a.json().get("fundedBy").asText()).isEqualTo("credits");
            var s = settle(t, v.body());
            assertThat(s.status()).as(s.toString()).isEqualTo(200);
            assertThat(s.json().get("costMillicredits").asLong()).as(v.toString()).isEqualTo(v.expected());
            balance -= v.expected();
            assertThat(s.json().get("balanceMillicredits").asLong()).isEqualTo(balance);
            JsonNode turn = api.get("/api/v1/turns/" + t, api.engine()).json();
            assertThat(turn.get("status").asText()).isEqualTo("settled");
            assertThat(turn.get("costMillicredits").asLong()).isEqualTo(v.expected());
            assertThat(turn.get("usage")).isEqualTo(Api.JSON.valueToTree(v.body()));
            assertThat(turn.at("/prices/inputUsdPerMTok").isTextual()).isTrue();
        }
        JsonNode items = api.get("/api/v1/accounts/" + acct + "/transactions?type=world_text", api.admin()).json()
                .get("items");
        assertThat(items).hasSize(vectors.size());
        assertReconciled();
    }

    @Test
    void aCostAboveTheHoldCollectsOnlyWhatIsAvailableAndBlocksNewHolds() {
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 20_000);
        String t = id("t");
        var a = post(authorize(t, acct, w, SONNET, "world_text", 100L, 1000L));
        assertThat(a.json().get("holdMillicredits").asLong()).isEqualTo(4_500);
        var s = settle(t, usage(10_000, 1_000)); // 30,000 + 15,000 = 45,000
        // Collected: the hold plus what was available beyond it (15,500), no overdraft by default.
        assertThat(s.json().get("costMillicredits").asLong()).isEqualTo(45_000);
        assertThat(s.json().get("chargedMillicredits").asLong()).isEqualTo(20_000);
        assertThat(s.json().get("uncollectedMillicredits").asLong()).isEqualTo(25_000);
        assertThat(s.json().get("balanceMillicredits").asLong()).isEqualTo(0);
        JsonNode turn = api.get("/api/v1/turns/" + t, api.engine()).json();
        assertThat(turn.get("uncollectedMillicredits").asLong()).isEqualTo(25_000);
        var refused = post(authorize(id("t"), acct, w, SONNET, "world_text", 1L, 1L));
        assertThat(refused.status()).isEqualTo(402);
        // Free turns are still given: they cost the player nothing.
        assertThat(post(authorize(id("t"), acct, w, SONNET, null, 1L, 1L)).json().get("fundedBy").asText())
                .isEqualTo("free_turn");
        assertReconciled();
    }

    @Test
    void voidReleasesTheHoldOrGivesTheFreeTurnBack() {
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 100_000);
        String free = id("t");
        post(authorize(free, acct, w, SONNET, null, 100L, 100L));
        assertThat(account(acct).at("/freeTurns/remaining").asInt()).isEqualTo(4);
        var v = api.post("/api/v1/turns/" + free + "/void", api.engine(), Map.of());
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        assertThat(v.json().get("status").asText()).isEqualTo("voided");
        assertThat(account(acct).at("/freeTurns/remaining").asInt()).isEqualTo(5);
        assertThat(api.post("/api/v1/turns/" + free + "/void", api.engine(), Map.of()).status()).isEqualTo(200);
        assertThat(account(acct).at("/freeTurns/remaining").asInt()).isEqualTo(5);
        var settleVoided = settle(free, usage(1, 1));
        assertThat(settleVoided.status()).isEqualTo(409);
        assertThat(settleVoided.json().get("code").asText()).isEqualTo("turn_not_open");

        String paid = id("t");
        post(authorize(paid, acct, w, OPUS, null, 100L, 100L));
        assertThat(account(acct).get("heldMillicredits").asLong()).isEqualTo(9_000);
        api.post("/api/v1/turns/" + paid + "/void", api.engine(), Map.of());
        JsonNode after = account(acct);
        assertThat(after.get("heldMillicredits").asLong()).isZero();
        assertThat(after.get("balanceMillicredits").asLong()).isEqualTo(100_000);

        String settled = id("t");
        post(authorize(settled, acct, w, OPUS, null, 100L, 100L));
        settle(settled, usage(100, 100));
        var voidSettled = api.post("/api/v1/turns/" + settled + "/void", api.engine(), Map.of());
        assertThat(voidSettled.status()).isEqualTo(409);
        assertThat(voidSettled.json().get("code").asText()).isEqualTo("turn_not_open");
        assertReconciled();
    }

    @Test
    void holdsExpireAfterTheTtlAndCannotBeSettled() {
        Instant start = Instant.parse("2030-03-10T12:00:00Z");
        setClock(start);
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 100_000);
        String paid = id("t");
        var a = post(authorize(paid, acct, w, OPUS, null, 100L, 100L));
        assertThat(a.json().get("expiresAt").asText()).startsWith("2030-03-10T12:10:");
        String free = id("t");
        post(authorize(free, acct, w, SONNET, null, 100L, 100L));
        assertThat(account(acct).get("heldMillicredits").asLong()).isEqualTo(9_000);
        setClock(start.plusSeconds(599));
        assertThat(account(acct).get("heldMillicredits").asLong()).isEqualTo(9_000);
        setClock(start.plusSeconds(601));
        JsonNode acc = account(acct);
        assertThat(acc.get("heldMillicredits").asLong()).isZero();
        assertThat(acc.at("/freeTurns/remaining").asInt()).isEqualTo(5);
        var late = settle(paid, usage(100, 100));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().get("code").asText()).isEqualTo("turn_not_open");
        assertThat(api.get("/api/v1/turns/" + free, api.engine()).json().get("status").asText()).isEqualTo("expired");
        assertThat(balance(acct)).isEqualTo(100_000);
        assertReconciled();
    }

    @Test
    void theSweepExpiresHoldsNobodyReads() {
        Instant start = Instant.parse("2030-03-11T12:00:00Z");
        setClock(start);
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 100_000);
        String paid = id("t");
        post(authorize(paid, acct, w, OPUS, null, 100L, 100L));
        setClock(start.plusSeconds(3600));
        assertThat(sweep.sweep()).isGreaterThanOrEqualTo(1);
        String status = jdbc.sql("select status from turns where turn_id = :t").param("t", paid).query(String.class).single();
        assertThat(status).isEqualTo("expired");
        long held = jdbc.sql("select held_millicredits from accounts where account_id = :a").param("a", acct)
                .query(Long.class).single();
        assertThat(held).isZero();
    }

    @org.springframework.beans.factory.annotation.Autowired
    HoldExpiry sweep;

    @Test
    void replaysReturnTheFirstAnswerAndConflictsAre409() {
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 100_000);
        String t = id("t");
        Map<String, Object> body = authorize(t, acct, w, OPUS, null, 100L, 100L);
        var first = post(body);
        var again = post(body);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(account(acct).get("heldMillicredits").asLong()).isEqualTo(9_000);
        Map<String, Object> other = new HashMap<>(body);
        other.put("maxOutputTokens", 101);
        var conflict = post(other);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("code").asText()).isEqualTo("idempotency_conflict");

        var s1 = settle(t, usage(100, 100));
        var s2 = settle(t, usage(100, 100));
        assertThat(s2.status()).isEqualTo(200);
        assertThat(s2.json()).isEqualTo(s1.json());
        var s3 = settle(t, usage(100, 101));
        assertThat(s3.status()).isEqualTo(409);
        assertThat(s3.json().get("code").asText()).isEqualTo("idempotency_conflict");
        assertThat(balance(acct)).isEqualTo(100_000 - 9_000);
        assertReconciled();
    }

    @Test
    void contradictoryUsageIs400AndTheTurnStaysOpen() {
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 100_000);
        String t = id("t");
        post(authorize(t, acct, w, OPUS, null, 100L, 100L));
        var bad = settle(t, Map.of("openaiUsage", Map.of("prompt_tokens", 100, "completion_tokens", 10,
                "prompt_tokens_details", Map.of("cached_tokens", 700))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("code").asText()).isEqualTo("invalid_request");
        assertThat(bad.json().get("detail").asText()).contains("cached_tokens");
        for (Object body : java.util.List.of(Map.of(), Map.of("usage", Map.of("inputTokens", -1)),
                Map.of("usage", Map.of("inputTokens", 10_000_001)), Map.of("usage", Map.of("inputTokens", "5")),
                Map.of("usage", Map.of("inputTokens", 1), "openaiUsage", Map.of("prompt_tokens", 1)))) {
            var r = settle(t, body);
            assertThat(r.status()).as(body + " -> " + r).isEqualTo(400);
        }
        assertThat(api.get("/api/v1/turns/" + t, api.engine()).json().get("status").asText()).isEqualTo("authorized");
        assertThat(settle(t, usage(100, 100)).status()).isEqualTo(200);
        assertThat(balance(acct)).isEqualTo(100_000 - 9_000);
    }

    @Test
    void freeTurnsResetAtMidnightUtc() {
        Instant lateEvening = Instant.parse("2030-05-01T23:59:40Z");
        setClock(lateEvening);
        String acct = id("u");
        String w = world(id("owner"), true);
        for (int i = 0; i < 5; i++) {
            assertThat(post(authorize(id("t"), acct, w, SONNET, null, 10L, 10L)).json().get("fundedBy").asText())
                    .isEqualTo("free_turn");
        }
        JsonNode acc = account(acct);
        assertThat(acc.at("/freeTurns/remaining").asInt()).isZero();
        assertThat(acc.at("/freeTurns/resetsAt").asText()).isEqualTo("2030-05-02T00:00:00Z");
        assertThat(post(authorize(id("t"), acct, w, SONNET, null, 10L, 10L)).status()).isEqualTo(402);
        setClock(Instant.parse("2030-05-02T00:00:05Z"));
        assertThat(account(acct).at("/freeTurns/remaining").asInt()).isEqualTo(5);
        var next = post(authorize(id("t"), acct, w, SONNET, null, 10L, 10L));
        assertThat(next.json().get("fundedBy").asText()).isEqualTo("free_turn");
        assertThat(next.json().get("freeTurnsRemaining").asInt()).isEqualTo(4);
        assertReconciled();
    }

    @Test
    void playNeedsAJourneyAndAuthoringNeverUsesFreeTurns() {
        String acct = id("u");
        String w = world(acct, false);
        Map<String, Object> noJourney = new HashMap<>(authorize(id("t"), acct, w, SONNET, null, 10L, 10L));
        noJourney.remove("journeyId");
        assertThat(post(noJourney).status()).isEqualTo(400);
        var authoring = post(authorize(id("t"), acct, w, SONNET, "world_text", 10L, 10L));
        assertThat(authoring.status()).isEqualTo(402);
        adjust(acct, 50_000);
        String img = id("t");
        Map<String, Object> image = new HashMap<>(authorize(img, acct, w, "gemini-2-5-flash-image", "world_image",
                0L, 600L));
        image.put("expectedImages", 1);
        var a = post(image);
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        // 600 × $0.30/M + 1 × $0.039 = $0.03918 → 39,180 millicredits
        assertThat(a.json().get("holdMillicredits").asLong()).isEqualTo(39_180);
        var s = settle(img, Map.of("usage", Map.of("inputTokens", 600, "images", 1)));
        assertThat(s.json().get("chargedMillicredits").asLong()).isEqualTo(39_180);
        JsonNode items = api.get("/api/v1/accounts/" + acct + "/transactions?type=world_image", api.admin()).json()
                .get("items");
        assertThat(items).hasSize(1);
    }
}
