package com.imagina.credits.estimates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.ApiTest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two days of play with a known cost distribution (prompt sizes per world, output tokens uniform in a
 * band, cold starts and warm follow-ups). Before every turn the test reads what the picker shows for it;
 * after it, the real cost. From those pairs the test computes the accuracy itself and checks that the
 * service reports exactly that: in the picker per model, in the admin report overall, per model and world
 * and per day, and that the backtest of the second day — replayed from the first day's turns — is what the
 * live estimates of that day measured.
 */
class EstimateAccuracySimulationTest extends ApiTest {
    private static final LocalDate DAY_1 = LocalDate.parse("2035-03-10");
    private static final LocalDate DAY_2 = DAY_1.plusDays(1);
    private final Random random = new Random(20351003);
    private Instant now;
    private String modelA;
    private String modelB;

    /** One turn as the picker showed it and as it was charged, in settle order. */
    record Pair(String modelId, String worldId, LocalDate day, long cost, long estimate, long low, long high) {}

    private final List<Pair> pairs = new ArrayList<>();

    private Map<String, Object> model(String output) {
        return Map.of("name", "Accuracy sim", "provider", "anthropic", "tier", "standard", "creditsOnly", true,
                "isDefault", false, "cacheTtlSeconds", 300, "prices", Map.of("inputUsdPerMTok", "3",
                        "cacheReadUsdPerMTok", "0.30", "cacheWriteUsdPerMTok", "3.75", "outputUsdPerMTok", output));
    }

    private void tick(long seconds) {
        now = now.plusSeconds(seconds);
        setClock(now);
    }

    private void play(String acct, String world, String journey, String model, long prompt) {
        var picker = api.get("/api/v1/models?worldId=" + world + "&journeyId=" + journey, api.admin());
        assertThat(picker.status()).as(picker.toString()).isEqualTo(200);
        JsonNode shown = null;
        for (JsonNode m : picker.json().get("models")) {
            if (m.get("id").asText().equals(model)) shown = m;
        }
        assertThat(shown).isNotNull();
        boolean warm = shown.get("cacheWarm").asBoolean();
        JsonNode e = shown.get("estimate");
        String turnId = id("t");
        var a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", acct,
                "journeyId", journey, "worldId", world, "modelId", model, "maxOutputTokens", 900,
                "expectedInputTokens", prompt));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        // The known distribution: output uniform in 200..899 tokens, the prompt ±15 % around the world's size.
        long output = 200 + random.nextInt(700);
        long p = Math.round(prompt * (0.85 + 0.3 * random.nextDouble()));
        Map<String, Object> usage = warm
                ? Map.of("inputTokens", 300, "cacheReadTokens", p - 600, "cacheWriteTokens", 300, "outputTokens", output)
                : Map.of("inputTokens", 300, "cacheWriteTokens", p - 300, "outputTokens", output);
        var s = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), Map.of("usage", usage));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        pairs.add(new Pair(model, world, DAY_1.plusDays(now.isBefore(DAY_2.atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant()) ? 0 : 1), s.json().get("costMillicredits").asLong(),
                e.get(warm ? "followUpMillicredits" : "firstTurnMillicredits").asLong(),
                e.get("lowMillicredits").asLong(), e.get("highMillicredits").asLong()));
    }

    /** A cold start, warm follow-ups a minute apart, a pause past the cache TTL, two more. */
    private void journey(String acct, String world, String model, long prompt) {
        String journey = id("j");
        play(acct, world, journey, model, prompt);
        for (int i = 0; i < 4; i++) {
            tick(60);
            play(acct, world, journey, model, prompt);
        }
        tick(600);
        play(acct, world, journey, model, prompt);
        tick(60);
        play(acct, world, journey, model, prompt);
        tick(120);
    }

    private void day(String acct, Map<String, Long> worlds) {
        for (Map.Entry<String, Long> w : worlds.entrySet()) {
            for (int j = 0; j < 3; j++) journey(acct, w.getKey(), modelA, w.getValue());
            journey(acct, w.getKey(), modelB, w.getValue());
        }
    }

    /** The accuracy as the test computes it from the pairs, by the definition in the contract and README. */
    static Map<String, Object> expected(List<Pair> turns) {
        List<BigDecimal> errors = turns.stream().filter(t -> t.cost() != 0)
                .map(t -> BigDecimal.valueOf(Math.abs(t.cost() - t.estimate())).multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(t.cost()), 20, RoundingMode.HALF_UP))
                .sorted(Comparator.naturalOrder()).toList();
        BigDecimal median = errors.get((int) Math.ceil(errors.size() * 0.5) - 1).setScale(1, RoundingMode.HALF_UP);
        long within = turns.stream().filter(t -> t.cost() >= t.low() && t.cost() <= t.high()).count();
        return Map.of("turns", turns.size(), "medianAbsPercentError", median,
                "withinRangeShare", BigDecimal.valueOf(within).divide(BigDecimal.valueOf(turns.size()), 3,
                        RoundingMode.HALF_UP));
    }

    private static Map<String, Object> reported(JsonNode accuracy) {
        return Map.of("turns", accuracy.get("turns").asInt(),
                // Decimals travel as strings, like every decimal of the service.
                "medianAbsPercentError", new BigDecimal(accuracy.get("medianAbsPercentError").asText()).setScale(1),
                "withinRangeShare", new BigDecimal(accuracy.get("withinRangeShare").asText()).setScale(3));
    }

    private List<Pair> last(int n, Predicate<Pair> which) {
        List<Pair> matching = pairs.stream().filter(which).toList();
        return matching.subList(Math.max(0, matching.size() - n), matching.size());
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode n : list) {
            if (n.get(field).asText().equals(value)) return n;
        }
        throw new AssertionError("no " + field + "=" + value + " in " + list);
    }

    @Test
    void reportedAccuracyIsWhatTheTurnsMeasure() {
        now = DAY_1.atTime(8, 0).toInstant(java.time.ZoneOffset.UTC);
        setClock(now);
        modelA = id("acc-a");
        modelB = id("acc-b");
        assertThat(api.put("/api/v1/admin/models/" + modelA, api.admin(), model("15")).status()).isEqualTo(200);
        assertThat(api.put("/api/v1/admin/models/" + modelB, api.admin(), model("30")).status()).isEqualTo(200);
        String acct = id("u");
        adjust(acct, 1_000_000_000L);
        Map<String, Long> worlds = Map.of(world(id("owner"), true), 5_000L, world(id("owner"), true), 16_000L);

        // No stored estimate yet: no accuracy.
        var before = api.get("/api/v1/models", api.admin()).json().get("models");
        assertThat(find(before, "id", modelA).at("/estimate/accuracy").isNull()).isTrue();

        day(acct, worlds); // day 1 on the catalog's prior
        now = DAY_2.atTime(8, 0).toInstant(java.time.ZoneOffset.UTC);
        setClock(now);
        assertThat(api.post("/api/v1/admin/calibration", api.admin(), Map.of()).status()).isEqualTo(200);
        tick(120); // past the authorizer's one-minute estimate cache
        day(acct, worlds); // day 2 on the profiles learnt on day 1

        // The picker: per model, its last 500 turns (all of them here).
        JsonNode models = api.get("/api/v1/models", api.admin()).json().get("models");
        for (String model : List.of(modelA, modelB)) {
            JsonNode accuracy = find(models, "id", model).at("/estimate/accuracy");
            assertThat(reported(accuracy)).as(model).isEqualTo(expected(last(500, p -> p.modelId().equals(model))));
        }

        // The operator's report over a window of 30: overall, per model, per model and world, per day.
        int window = 30;
        var r = api.get("/api/v1/admin/estimates/accuracy?window=" + window + "&from=" + DAY_1 + "&to=" + DAY_2,
                api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode report = r.json();
        assertThat(reported(report.get("overall"))).isEqualTo(expected(last(window, p -> true)));
        assertThat(reported(find(report.get("models"), "modelId", modelA).get("accuracy")))
                .isEqualTo(expected(last(window, p -> p.modelId().equals(modelA))));
        for (String world : worlds.keySet()) {
            for (String model : List.of(modelA, modelB)) {
                JsonNode group = null;
                for (JsonNode g : report.get("groups")) {
                    if (g.get("modelId").asText().equals(model) && g.get("worldId").asText().equals(world)) group = g;
                }
                assertThat(group).as(model + " in " + world).isNotNull();
                Predicate<Pair> of = p -> p.modelId().equals(model) && p.worldId().equals(world);
                assertThat(reported(group.get("accuracy"))).isEqualTo(expected(last(window, of)));
                for (LocalDate day : List.of(DAY_1, DAY_2)) {
                    JsonNode d = find(group.get("days"), "day", day.toString());
                    assertThat(reported(d.get("accuracy"))).as(model + " " + day)
                            .isEqualTo(expected(last(10_000, of.and(p -> p.day().equals(day)))));
                }
            }
        }
        JsonNode day2 = find(report.get("days"), "day", DAY_2.toString()).get("accuracy");
        Map<String, Object> liveDay2 = expected(last(10_000, p -> p.day().equals(DAY_2)));
        assertThat(reported(day2)).isEqualTo(liveDay2);
        // Learning helped: day 2 (calibrated) is closer than day 1 (prior).
        BigDecimal day1Error = (BigDecimal) expected(last(10_000, p -> p.day().equals(DAY_1))).get("medianAbsPercentError");
        assertThat((BigDecimal) liveDay2.get("medianAbsPercentError")).isLessThan(day1Error);

        // The backtest of day 2 replays day 1's turns through the calibration: what the live estimates measured.
        var b = api.get("/api/v1/admin/estimates/backtest?from=" + DAY_2 + "&to=" + DAY_2, api.admin());
        assertThat(b.status()).as(b.toString()).isEqualTo(200);
        assertThat(reported(b.json().get("overall"))).as(b.body()).isEqualTo(liveDay2);
        assertThat(reported(find(b.json().get("days"), "day", DAY_2.toString()).get("accuracy"))).isEqualTo(liveDay2);
        assertThat(reported(find(b.json().get("models"), "modelId", modelA).get("accuracy")))
                .isEqualTo(expected(last(10_000, p -> p.day().equals(DAY_2) && p.modelId().equals(modelA))));
        // The figures the README reports.
        System.out.println("accuracy day 1 (prior): " + expected(last(10_000, p -> p.day().equals(DAY_1)))
                + "; day 2 (calibrated on day 1): " + liveDay2 + "; backtest day 2: " + b.json().get("overall"));
        // Another setting is judged on the same turns.
        var narrow = api.get("/api/v1/admin/estimates/backtest?from=" + DAY_2 + "&to=" + DAY_2 + "&worldWindow=5",
                api.admin());
        assertThat(narrow.status()).as(narrow.toString()).isEqualTo(200);
        assertThat(narrow.json().at("/overall/turns").asInt()).isEqualTo(liveDay2.get("turns"));
        assertThat(narrow.json().at("/settings/worldWindow").asInt()).isEqualTo(5);
        System.out.println("backtest day 2 with worldWindow=5: " + narrow.json().get("overall"));

        // Admin only; bad input is 400.
        assertThat(api.get("/api/v1/admin/estimates/accuracy", api.player(acct)).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/estimates/backtest?from=yesterday", api.admin()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/admin/estimates/accuracy?window=0", api.admin()).status()).isEqualTo(400);
        assertReconciled();
    }
}
