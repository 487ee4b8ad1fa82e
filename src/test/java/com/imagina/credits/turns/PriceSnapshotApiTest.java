package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settled costs are explainable and never move when prices change. */
class PriceSnapshotApiTest extends ApiTest {

    private Map<String, Object> model(String input, String output, boolean longContext) {
        Map<String, Object> prices = new java.util.HashMap<>(Map.of("inputUsdPerMTok", input,
                "cacheReadUsdPerMTok", "0.5", "cacheWriteUsdPerMTok", "6.25", "cacheWrite1hUsdPerMTok", "10",
                "outputUsdPerMTok", output, "usdPerImage", "0", "usdPerWebSearch", "0.01"));
        if (longContext) {
            prices.put("longContext", Map.of("aboveInputTokens", 200_000, "inputUsdPerMTok", "10",
                    "cacheReadUsdPerMTok", "1", "cacheWriteUsdPerMTok", "12.5", "cacheWrite1hUsdPerMTok", "20",
                    "outputUsdPerMTok", "37.5"));
        }
        return Map.of("name", "Priced", "provider", "anthropic", "tier", "standard", "creditsOnly", true,
                "isDefault", false, "prices", prices, "cacheTtlSeconds", 300);
    }

    @Test
    void aPriceChangeLeavesSettledTurnsAndTheirSnapshotsUntouched() {
        String modelId = id("priced");
        assertThat(api.put("/api/v1/admin/models/" + modelId, api.admin(), model("5", "25", true)).status())
                .isEqualTo(200);
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 100_000_000);
        String t = id("t");
        var a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", t, "accountId", acct, "journeyId", "j",
                "worldId", w, "modelId", modelId, "maxOutputTokens", 1000, "expectedInputTokens", 250_000));
        // Long context applies to the hold too: 250,000 × $10/M + 1,000 × $37.5/M = $2.5375
        assertThat(a.json().get("holdMillicredits").asLong()).isEqualTo(2_537_500);
        var s = api.post("/api/v1/turns/" + t + "/settle", api.engine(), Map.of("anthropicUsage", Map.of(
                "input_tokens", 150_000, "cache_read_input_tokens", 40_000, "cache_creation_input_tokens", 20_000,
                "cache_creation", Map.of("ephemeral_5m_input_tokens", 15_000, "ephemeral_1h_input_tokens", 5_000),
                "output_tokens", 2_000, "server_tool_use", Map.of("web_search_requests", 3))));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        // prompt = 150k + 40k + 15k + 5k = 210k > 200k → every rate from the tier:
        // 150,000×10 + 40,000×1 + 15,000×12.5 + 5,000×20 + 2,000×37.5 = 1,902,500 µUSD + 3 × $0.01 = $1.9325
        long cost = 1_932_500;
        assertThat(s.json().get("costMillicredits").asLong()).isEqualTo(cost);
        JsonNode before = api.get("/api/v1/turns/" + t, api.admin()).json();

        assertThat(api.put("/api/v1/admin/models/" + modelId, api.admin(), model("50", "250", false)).status())
                .isEqualTo(200);
        JsonNode after = api.get("/api/v1/turns/" + t, api.admin()).json();
        assertThat(after).isEqualTo(before);
        assertThat(after.at("/prices/inputUsdPerMTok").asText()).isEqualTo("5");
        assertThat(after.at("/normalizedUsage/cacheWrite1hTokens").asLong()).isEqualTo(5_000);
        assertThat(after.at("/normalizedUsage/webSearchRequests").asLong()).isEqualTo(3);
        JsonNode history = api.get("/api/v1/accounts/" + acct + "/transactions", api.admin()).json();
        assertThat(history.at("/items/0/amountMillicredits").asLong()).isEqualTo(-cost);

        JsonNode explained = api.get("/api/v1/admin/turns/" + t + "/cost", api.admin()).json();
        assertThat(explained.get("matches").asBoolean()).as(explained.toString()).isTrue();
        assertThat(explained.get("recomputedMillicredits").asLong()).isEqualTo(cost);
        assertThat(explained.at("/breakdown/longContextApplied").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/admin/turns/" + t + "/cost", api.player(acct)).status()).isEqualTo(403);

        // New turns use the new prices, and the model's price version moved.
        JsonNode models = api.get("/api/v1/models", api.admin()).json().get("models");
        for (JsonNode m : models) {
            if (m.get("id").asText().equals(modelId)) {
                assertThat(m.get("priceVersion").asInt()).isEqualTo(2);
            }
        }
        assertReconciled();
    }
}
