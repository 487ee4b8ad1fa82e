package com.imagina.credits.estimates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Plays a few hundred turns across worlds of different sizes on two models with known token profiles
 * (warm follow-ups, cold restarts after a pause, model switches), then checks that the calibrated
 * estimates match what the turns really cost, that cache warmth follows the TTL, that prices move the
 * estimates at once, and that the cost panel's count of remaining turns matches the balance.
 */
class EstimateSimulationTest extends ApiTest {
    private final Random random = new Random(20261125);
    private Instant now = Instant.parse("2033-02-01T08:00:00Z");
    private String modelA;
    private String modelB;
    /** Real costs per (world, model, phase) as the settle answers reported them. */
    private final Map<String, List<Long>> costs = new HashMap<>();

    private Map<String, Object> model(String output) {
        return Map.of("name", "Sim", "provider", "anthropic", "tier", "standard", "creditsOnly", true,
                "isDefault", false, "cacheTtlSeconds", 300, "prices", Map.of("inputUsdPerMTok", "3",
                        "cacheReadUsdPerMTok", "0.30", "cacheWriteUsdPerMTok", "3.75", "outputUsdPerMTok", output));
    }

    private void tick(long seconds) {
        now = now.plusSeconds(seconds);
        setClock(now);
    }

    private long noisy(long base) {
        return Math.round(base * (0.9 + 0.2 * random.nextDouble()));
    }

    /** One turn; cold when the journey's last turn was on another model or longer ago than the TTL. */
    private void play(String acct, String world, String journey, String model, long promptTokens, boolean cold) {
        String turnId = id("t");
        var a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", acct,
                "journeyId", journey, "worldId", world, "modelId", model, "maxOutputTokens", 800,
                "expectedInputTokens", promptTokens));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        long prompt = noisy(promptTokens);
        Map<String, Object> usage = cold
                ? Map.of("inputTokens", 300, "cacheWriteTokens", prompt - 300, "outputTokens", noisy(450))
                : Map.of("inputTokens", 300, "cacheReadTokens", prompt - 600, "cacheWriteTokens", 300,
                        "outputTokens", noisy(450));
        var s = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), Map.of("usage", usage));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        costs.computeIfAbsent(world + "|" + model + "|" + (cold ? "first" : "follow"), k -> new ArrayList<>())
                .add(s.json().get("costMillicredits").asLong());
    }

    /** A journey: a cold start, warm follow-ups a minute apart, a pause, a switch of model. */
    private void journey(String acct, String world, long prompt) {
        String journey = id("j");
        play(acct, world, journey, modelA, prompt, true);
        for (int i = 0; i < 5; i++) {
            tick(60);
            play(acct, world, journey, modelA, prompt, false);
        }
        tick(3_600);
        play(acct, world, journey, modelA, prompt, true);
        tick(60);
        play(acct, world, journey, modelB, prompt, true);
        for (int i = 0; i < 3; i++) {
            tick(45);
            play(acct, world, journey, modelB, prompt, false);
        }
        tick(30);
        play(acct, world, journey, modelA, prompt, true);
        tick(600);
    }

    private static double average(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).average().orElseThrow();
    }

    private Map<String, JsonNode> picker(String world, String journey) {
        var r = api.get("/api/v1/models?worldId=" + world + (journey == null ? "" : "&journeyId=" + journey),
                api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, JsonNode> byId = new HashMap<>();
        r.json().get("models").forEach(m -> byId.put(m.get("id").asText(), m));
        return byId;
    }

    @Test
    void estimatesLearnFromRealTurns() {
        setClock(now);
        modelA = id("sim-a");
        modelB = id("sim-b");
        assertThat(api.put("/api/v1/admin/models/" + modelA, api.admin(), model("15")).status()).isEqualTo(200);
        assertThat(api.put("/api/v1/admin/models/" + modelB, api.admin(), model("30")).status()).isEqualTo(200);
        String acct = id("u");
        adjust(acct, 1_000_000_000L);
        Map<String, Long> worlds = new HashMap<>();
        worlds.put(world(id("owner"), true), 4_000L);
        worlds.put(world(id("owner"), true), 9_000L);
        worlds.put(world(id("owner"), true), 20_000L);

        Map<String, JsonNode> before = picker(worlds.keySet().iterator().next(), null);
        assertThat(before.get(modelA).at("/estimate/basis").asText()).isEqualTo("prior");
        assertThat(before.get(modelA).at("/estimate/samples").asInt()).isZero();

        for (Map.Entry<String, Long> w : worlds.entrySet()) {
            for (int j = 0; j < 8; j++) {
                journey(acct, w.getKey(), w.getValue());
            }
        }
        var calibrated = api.post("/api/v1/admin/calibration", api.admin(), Map.of());
        assertThat(calibrated.status()).as(calibrated.toString()).isEqualTo(200);
        assertThat(calibrated.json().get("ran").asBoolean()).isTrue();

        for (String world : worlds.keySet()) {
            Map<String, JsonNode> models = picker(world, null);
            for (String model : List.of(modelA, modelB)) {
                JsonNode e = models.get(model).get("estimate");
                assertThat(e.get("basis").asText()).isEqualTo("world");
                double first = average(costs.get(world + "|" + model + "|first"));
                double follow = average(costs.get(world + "|" + model + "|follow"));
                assertThat((double) e.get("firstTurnMillicredits").asLong()).isCloseTo(first, within(first * 0.10));
                assertThat((double) e.get("followUpMillicredits").asLong()).isCloseTo(follow, within(follow * 0.10));
                assertThat(e.get("lowMillicredits").asLong()).isLessThan(e.get("highMillicredits").asLong());
                assertThat(e.get("samples").asInt()).isEqualTo(costs.get(world + "|" + model + "|first").size()
                        + costs.get(world + "|" + model + "|follow").size());
            }
        }

        // A world with little data borrows the model's profile, scaled to its (larger) prompts.
        String sparse = world(id("owner"), true);
        String sparseJourney = id("j");
        play(acct, sparse, sparseJourney, modelA, 40_000, true);
        tick(60);
        play(acct, sparse, sparseJourney, modelA, 40_000, false);
        api.post("/api/v1/admin/calibration", api.admin(), Map.of());
        Map<String, JsonNode> sparseModels = picker(sparse, null);
        JsonNode sparseA = sparseModels.get(modelA).get("estimate");
        assertThat(sparseA.get("basis").asText()).isEqualTo("model");
        long mediumFirst = picker(worlds.entrySet().stream().filter(e -> e.getValue() == 9_000L).findFirst()
                .orElseThrow().getKey(), null).get(modelA).at("/estimate/firstTurnMillicredits").asLong();
        assertThat(sparseA.get("firstTurnMillicredits").asLong()).isGreaterThan(mediumFirst * 2);

        // Cache warmth flips at the TTL boundary; the headline follows it.
        String journey = id("j");
        String world = worlds.keySet().iterator().next();
        play(acct, world, journey, modelA, 9_000, true);
        Instant settled = now;
        setClock(settled.plusSeconds(295));
        Map<String, JsonNode> warm = picker(world, journey);
        assertThat(warm.get(modelA).get("cacheWarm").asBoolean()).isTrue();
        assertThat(warm.get(modelB).get("cacheWarm").asBoolean()).isFalse();
        setClock(settled.plusSeconds(302));
        assertThat(picker(world, journey).get(modelA).get("cacheWarm").asBoolean()).isFalse();

        // The cost panel: how many paid turns the available balance buys at the current headline.
        setClock(settled.plusSeconds(100));
        JsonNode panel = api.get("/api/v1/journeys/" + journey + "/costs", api.player(acct)).json();
        assertThat(panel.get("currentModelId").asText()).isEqualTo(modelA);
        assertThat(panel.get("recentTurns")).hasSize(1);
        long perTurn = panel.at("/estimate/perTurnMillicredits").asLong();
        assertThat(perTurn).isEqualTo(picker(world, journey).get(modelA).at("/estimate/followUpMillicredits").asLong());
        long available = account(acct).get("availableMillicredits").asLong();
        assertThat(panel.at("/estimate/turnsRemaining").asLong()).isEqualTo(available / perTurn);
        assertThat(panel.at("/estimate/freeTurnsRemaining").asInt()).isEqualTo(5);
        assertThat(api.get("/api/v1/journeys/" + journey + "/costs", api.player(id("stranger"))).status())
                .isEqualTo(403);

        // A price change moves the estimate at once, without recalibrating.
        long oldFollow = picker(world, null).get(modelA).at("/estimate/followUpMillicredits").asLong();
        assertThat(api.put("/api/v1/admin/models/" + modelA, api.admin(), model("30")).status()).isEqualTo(200);
        long newFollow = picker(world, null).get(modelA).at("/estimate/followUpMillicredits").asLong();
        assertThat(newFollow).isGreaterThan(oldFollow);
        assertReconciled();
    }

    @Test
    void theDefaultModelsPriorLandsInTheAdvertisedRange() {
        JsonNode models = api.get("/api/v1/models", api.admin()).json().get("models");
        JsonNode def = null;
        for (JsonNode m : models) {
            if (m.get("isDefault").asBoolean()) def = m;
        }
        assertThat(def).isNotNull();
        long first = def.at("/estimate/firstTurnMillicredits").asLong();
        assertThat(first).isBetween(20_000L, 45_000L);
    }
}
