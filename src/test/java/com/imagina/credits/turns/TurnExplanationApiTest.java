package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every usage form of the golden set ({@code src/test/resources/usage/}) played as a real turn, half of
 * them as free turns, then explained: the parts add up exactly to the cost, rounded half-up once, and
 * the cost is what the golden case worked out by hand.
 */
class TurnExplanationApiTest extends ApiTest {
    private static final Map<String, String> QUANTITY_FIELDS = Map.of("input", "inputTokens",
            "cache_read", "cacheReadTokens", "cache_write", "cacheWriteTokens", "cache_write_1h", "cacheWrite1hTokens",
            "output", "outputTokens", "image", "images", "web_search", "webSearchRequests");

    @Test
    void everyGoldenUsageFormIsExplainedToTheMillicredit() throws Exception {
        List<JsonNode> cases = goldenCases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        String w = world(id("owner"), true);
        int free = 0;
        int longContext = 0;
        int oneHourWrites = 0;
        int toolUse = 0;
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            boolean freeTurn = i % 2 == 0;
            String modelId = id("golden");
            Map<String, Object> model = Map.of("name", "Golden " + i, "provider", "test", "tier", "standard",
                    "creditsOnly", !freeTurn, "isDefault", false, "cacheTtlSeconds", 300,
                    "prices", Api.JSON.convertValue(c.get("prices"), Map.class));
            var put = api.put("/api/v1/admin/models/" + modelId, api.admin(), model);
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            String acct = id("u");
            adjust(acct, 50_000_000_000L);
            String turnId = id("t");
            var a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", acct,
                    "journeyId", id("j"), "worldId", w, "modelId", modelId, "maxOutputTokens", 100,
                    "expectedInputTokens", 100));
            assertThat(a.status()).as(a.toString()).isEqualTo(201);
            assertThat(a.json().get("fundedBy").asText()).isEqualTo(freeTurn ? "free_turn" : "credits");
            var s = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), c.get("body"));
            assertThat(s.status()).as(c.get("name") + ": " + s).isEqualTo(200);
            long cost = s.json().get("costMillicredits").asLong();
            long charged = s.json().get("chargedMillicredits").asLong();
            if (!c.has("creditsPerUsd")) {
                assertThat(cost).as(c.get("name").asText()).isEqualTo(c.get("expectedMillicredits").asLong());
            }

            var r = api.get("/api/v1/turns/" + turnId + "/explanation", api.player(acct));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode e = r.json();
            String why = c.get("name").asText() + " → " + e.toPrettyString();
            assertThat(e.get("turnId").asText()).isEqualTo(turnId);
            assertThat(e.get("fundedBy").asText()).isEqualTo(freeTurn ? "free_turn" : "credits");
            assertThat(e.get("costMillicredits").asLong()).as(why).isEqualTo(cost);
            assertThat(e.get("chargedMillicredits").asLong()).as(why).isEqualTo(charged);
            assertThat(e.get("chargedMillicredits").asLong()).isEqualTo(freeTurn ? 0 : cost);
            assertThat(e.get("uncollectedMillicredits").asLong()).isEqualTo(freeTurn ? 0 : cost - charged);
            assertThat(e.get("longContext").asBoolean()).as(why).isEqualTo(c.path("expectedLongContext").asBoolean());

            BigDecimal exact = BigDecimal.ZERO;
            Map<String, Long> quantities = new HashMap<>();
            for (JsonNode part : e.get("parts")) {
                assertThat(part.get("millicredits").isTextual()).isTrue();
                assertThat(part.get("usdPerUnit").isTextual()).isTrue();
                BigDecimal value = new BigDecimal(part.get("millicredits").asText());
                long quantity = part.get("quantity").asLong();
                BigDecimal rate = new BigDecimal(part.get("usdPerUnit").asText());
                // Each part is its quantity at its price: per million tokens, or per unit for images and searches.
                String kind = part.get("kind").asText();
                BigDecimal usd = kind.equals("image") || kind.equals("web_search")
                        ? rate.multiply(BigDecimal.valueOf(quantity))
                        : rate.multiply(BigDecimal.valueOf(quantity)).movePointLeft(6);
                assertThat(value).as(why).isEqualByComparingTo(usd.multiply(new BigDecimal("1000000")));
                exact = exact.add(value);
                quantities.put(QUANTITY_FIELDS.get(part.get("kind").asText()), quantity);
            }
            assertThat(exact.setScale(0, RoundingMode.HALF_UP).longValueExact()).as(why).isEqualTo(cost);
            assertThat(new BigDecimal(e.get("exactMillicredits").asText())).isEqualByComparingTo(exact);
            c.get("expectedUsage").properties().forEach(f ->
                    assertThat(quantities.getOrDefault(f.getKey(), 0L)).as(why + " " + f.getKey())
                            .isEqualTo(f.getValue().asLong()));

            // What the cache saved, against the same turn uncached, worked out here from the case alone: every
            // prompt token at the input rate of the tier the prompt size picks, everything else as charged.
            long uncached = uncachedMillicredits(c);
            assertThat(e.get("uncachedMillicredits").asLong()).as(why).isEqualTo(uncached);
            assertThat(e.get("cacheSavedMillicredits").asLong()).as(why).isEqualTo(uncached - cost);

            String text = e.get("text").asText();
            assertThat(text).as(why).contains(freeTurn ? "free turn" : "Charged: ");
            if (quantities.getOrDefault("cacheReadTokens", 0L) + quantities.getOrDefault("cacheWriteTokens", 0L)
                    + quantities.getOrDefault("cacheWrite1hTokens", 0L) > 0) {
                assertThat(text).as(why).contains("The same turn without the cache would have cost "
                        + credits(uncached) + " credits");
            }
            if (freeTurn) {
                assertThat(text).contains("would have cost " + credits(cost) + " credits");
                free++;
            }
            if (e.get("longContext").asBoolean()) {
                assertThat(text).contains("long-context rates");
                longContext++;
            }
            if (quantities.getOrDefault("cacheWrite1hTokens", 0L) > 0) {
                assertThat(text).contains("written to the cache (1 hour)");
                oneHourWrites++;
            }
            if (c.get("body").has("geminiUsage") && c.at("/body/geminiUsage/toolUsePromptTokenCount").asLong() > 0) {
                toolUse++;
            }
            if (quantities.getOrDefault("cacheReadTokens", 0L) > 0) {
                assertThat(text).contains(String.format(java.util.Locale.ROOT, "%,d tokens read from cache saved",
                        quantities.get("cacheReadTokens")));
            }
            assertThat(text).contains(credits(cost) + " credits");
        }
        assertThat(free).isPositive();
        assertThat(longContext).isPositive();
        assertThat(oneHourWrites).isPositive();
        assertThat(toolUse).isPositive();
    }

    @Test
    void onlyTheTurnsOwnPlayerTheEngineAndAdminsSeeIt() {
        String acct = id("u");
        String w = world(id("owner"), true);
        String turnId = id("t");
        var a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", acct,
                "journeyId", id("j"), "worldId", w, "modelId", "claude-sonnet-4-5", "maxOutputTokens", 500,
                "expectedInputTokens", 6000));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        String path = "/api/v1/turns/" + turnId + "/explanation";
        var open = api.get(path, api.player(acct));
        assertThat(open.status()).as(open.toString()).isEqualTo(409);
        assertThat(open.json().get("code").asText()).isEqualTo("turn_not_settled");

        var s = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), Map.of("usage",
                Map.of("inputTokens", 5200, "cacheReadTokens", 800, "outputTokens", 412)));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        var own = api.get(path, api.player(acct));
        assertThat(own.status()).isEqualTo(200);
        // Sonnet 4.5: 5,200 × 3 + 800 × 0.30 + 412 × 15 = 15,600 + 240 + 6,180 = 22,020 millicredits
        assertThat(own.json().get("costMillicredits").asLong()).isEqualTo(22_020);
        String text = own.json().get("text").asText();
        assertThat(text).contains("5,200 new tokens at 3.00 $/M: 15.6 credits.")
                .contains("800 tokens read from cache at 0.30 $/M: 0.24 credits.")
                .contains("412 output tokens at 15.00 $/M: 6.18 credits.")
                .contains("800 tokens read from cache saved 2.16 credits")
                .contains("Together exactly 22.020 credits");
        assertThat(own.json().get("uncachedMillicredits").asLong()).isEqualTo(24_180);
        assertThat(own.json().get("cacheSavedMillicredits").asLong()).isEqualTo(2_160);

        var other = api.get(path, api.player(id("stranger")));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().get("code").asText()).isEqualTo("forbidden");
        assertThat(other.body()).doesNotContain("22020");
        assertThat(api.get(path, api.engine()).status()).isEqualTo(200);
        assertThat(api.get(path, api.admin()).json()).isEqualTo(own.json());
        var unknown = api.get("/api/v1/turns/" + id("nope") + "/explanation", api.player(acct));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asText()).isEqualTo("unknown_turn");
        assertThat(api.get(path, null).status()).isEqualTo(401);
    }

    /** At 1,000 credits per USD a token at X USD/MTok costs X millicredits; a unit at X USD costs X·10⁶. */
    private static long uncachedMillicredits(JsonNode c) {
        JsonNode u = c.get("expectedUsage");
        JsonNode rates = c.path("expectedLongContext").asBoolean() ? c.at("/prices/longContext") : c.get("prices");
        long prompt = u.get("inputTokens").asLong() + u.get("cacheReadTokens").asLong()
                + u.get("cacheWriteTokens").asLong() + u.get("cacheWrite1hTokens").asLong();
        BigDecimal exact = new BigDecimal(rates.get("inputUsdPerMTok").asText()).multiply(BigDecimal.valueOf(prompt))
                .add(new BigDecimal(rates.get("outputUsdPerMTok").asText())
                        .multiply(BigDecimal.valueOf(u.get("outputTokens").asLong())))
                .add(unit(c, "usdPerImage", u.get("images").asLong()))
                .add(unit(c, "usdPerWebSearch", u.get("webSearchRequests").asLong()));
        return exact.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static BigDecimal unit(JsonNode c, String price, long quantity) {
        JsonNode p = c.get("prices").get(price);
        return p == null || quantity == 0 ? BigDecimal.ZERO
                : new BigDecimal(p.asText()).multiply(BigDecimal.valueOf(quantity)).movePointRight(6);
    }

    private static String credits(long millicredits) {
        return String.format(java.util.Locale.ROOT, "%,d.%03d", millicredits / 1000, millicredits % 1000);
    }

    private static List<JsonNode> goldenCases() throws IOException, URISyntaxException {
        Path folder = Path.of(TurnExplanationApiTest.class.getResource("/usage").toURI());
        List<JsonNode> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                Api.JSON.readTree(file.toFile()).path("cases").forEach(cases::add);
            }
        }
        return cases;
    }
}
