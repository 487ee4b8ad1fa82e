package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.pricing.SeedCatalog;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed, oversized, wrong-typed and boundary-valued requests to every endpoint of
 * the contract — bodies, query parameters, path ids, content types, methods and tokens — each from a
 * seeded {@link Random} (the seed is printed; {@code -Dfuzz.seed=N} replays a run, {@code
 * -Dfuzz.requests=N} sets how many). Every answer must be a 4xx with problem+json and a {@code code}
 * (or a 2xx where the request happens to be valid), never a 500 nor a stack trace; the books still
 * balance afterwards. Endpoints not built yet answer 404 and count as such.
 */
class BadInputFuzzTest extends ApiTest {
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3_000);

    /** An endpoint, a valid body for it (or null), the token it needs, and its query parameters. */
    private record Endpoint(String method, String path, String body, Function<Api, String> token,
            List<String> params) {}

    private String account;
    private String other;
    private final List<String> turns = new ArrayList<>();
    private Instant clockAtStart;

    @Test
    void noInputMakesTheServiceFailOrLeakItsInsides() {
        long seed = Long.getLong("fuzz.seed", new Random().nextLong());
        System.out.println("BadInputFuzzTest seed=" + seed + " requests=" + REQUESTS
                + " (replay with -Dfuzz.seed=" + seed + ")");
        Random r = new Random(seed);
        clockAtStart = Instant.parse(api.get("/api/v1/admin/clock", api.admin()).json().get("now").asText());
        account = id("fz");
        other = id("fz-other");
        adjust(account, 10_000_000);
        String world = world(id("fz-owner"), true);
        for (int i = 0; i < 20; i++) {
            String t = id("fz-t");
            var a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", t, "accountId", account,
                    "journeyId", "fz-j-" + account, "worldId", world, "modelId", i % 2 == 0 ? "claude-opus-4-1" : "claude-sonnet-4-5",
                    "maxOutputTokens", 100, "expectedInputTokens", 100));
            assertThat(a.status()).as(a.toString()).isEqualTo(201);
            turns.add(t);
        }
        List<Endpoint> endpoints = endpoints(world);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new HashMap<>();
        for (int n = 0; n < REQUESTS && failures.size() < 60; n++) {
            Endpoint e = endpoints.get(r.nextInt(endpoints.size()));
            FuzzRequest req = FuzzRequest.of(e.method(), path(e, r), e.body(), e.token().apply(api), e.params(), api, r);
            boolean clock = e.path().equals("/api/v1/admin/clock") && e.method().equals("POST");
            Instant before = clock ? Instant.parse(api.get("/api/v1/admin/clock", api.admin()).json().get("now").asText()) : null;
            long sentAt = System.nanoTime();
            Api.Response res = req.send(api);
            if (clock && res.status() < 300) {
                // A valid-by-chance clock change (to 1970, say) is undone at once, before any other call:
                // books kept across a clock that went back a day and forward again are not this test's subject.
                setClock(before.plusNanos(System.nanoTime() - sentAt));
            }
            statuses.merge(e.method() + " " + e.path() + " " + res.status(), 1, Integer::sum);
            String problem = req.mustBeRefused() && res.status() < 300 ? "accepted a token it must refuse"
                    : req.mustFailBody() && res.status() < 300 ? "accepted a body it must refuse" : judge(res);
            if (problem != null) failures.add("#" + n + " " + req + "\n    → " + problem + ": " + abbreviate(res.toString()));
        }
        System.out.println("BadInputFuzzTest answers: " + new java.util.TreeMap<>(statuses));
        assertThat(failures).as("seed " + seed + ": answers that break the contract").isEmpty();
        assertReconciled();
    }

    @AfterEach
    void removeFuzzModels() {
        // Models a valid-by-chance request created are not for other tests to see; nor is a default that a
        // mutated body ("isDefault": true) moved to one of them: the seed's default gets it back.
        if (jdbc.sql("select count(*) from models where is_default and model_id like 'fz-m-%'").query(Long.class).single() > 0) {
            jdbc.sql("update models set is_default = false where is_default").update();
            jdbc.sql("update models set is_default = true where model_id = :id")
                    .param("id", SeedCatalog.defaultModel().id()).update();
        }
        // A model's price versions go with it (model_price_versions refers to models).
        jdbc.sql("""
                delete from model_price_versions v
                 where v.model_id like 'fz-m-%' and not exists (select 1 from turns t where t.model_id = v.model_id)""")
                .update();
        jdbc.sql("""
                delete from models m
                 where m.model_id like 'fz-m-%' and not exists (select 1 from turns t where t.model_id = m.model_id)""")
                .update();
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    static String judge(Api.Response res) {
        int s = res.status();
        String body = res.body() == null ? "" : res.body();
        if (body.contains("\tat ") || body.contains("Exception") || body.contains("org.springframework")
                || body.contains("java.lang") || body.contains("SQLState")) {
            return "leaks internals";
        }
        if (s >= 500) return "server error";
        if (s < 400) return s >= 200 ? null : "unexpected status";
        if (!res.contentType().startsWith("application/problem+json")) return "not problem+json (" + res.contentType() + ")";
        JsonNode json;
        try {
            json = Api.JSON.readTree(body);
        } catch (Exception ex) {
            return "problem body is not JSON";
        }
        if (!json.path("code").isTextual() || json.path("code").asText().isBlank()) return "no code";
        if (json.path("status").asInt() != s) return "status field " + json.path("status") + " ≠ " + s;
        return null;
    }

    private String path(Endpoint e, Random r) {
        String p = e.path();
        p = p.replace("{account}", r.nextInt(8) == 0 ? oddId(r) : r.nextInt(10) == 0 ? "me" : account);
        p = p.replace("{turn}", r.nextInt(8) == 0 ? oddId(r) : turns.get(r.nextInt(turns.size())));
        p = p.replace("{world}", r.nextInt(8) == 0 ? oddId(r) : "fz-w-" + r.nextInt(5));
        p = p.replace("{model}", r.nextInt(8) == 0 ? oddId(r) : "fz-m-" + r.nextInt(5));
        p = p.replace("{journey}", r.nextInt(8) == 0 ? oddId(r) : "fz-j");
        return p;
    }

    private static String oddId(Random r) {
        String raw = List.of("", " ", "..", ".", "%", "a/b", "a\\b", "a;b", "a?b", "a#b", "😀", "\u0000", "\u202e",
                "x".repeat(300), "x".repeat(5_000), "null", "me", "-1", "'", "\"", "<>", "a\nb").get(r.nextInt(22));
        String encoded = URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
        return r.nextInt(4) == 0 ? encoded.replace("%2F", "%252F") : encoded;
    }

    private List<Endpoint> endpoints(String world) {
        Function<Api, String> admin = Api::admin;
        Function<Api, String> engine = Api::engine;
        Function<Api, String> player = a -> a.player(account);
        Function<Api, String> none = a -> null;
        String turn = "{\"turnId\":\"fz-new\",\"accountId\":\"" + account + "\",\"journeyId\":\"fz-j-" + account + "\",\"worldId\":\""
                + world + "\",\"modelId\":\"claude-opus-4-1\",\"purpose\":\"play\",\"maxOutputTokens\":100,"
                + "\"expectedInputTokens\":100,\"expectedImages\":0}";
        String prices = "{\"inputUsdPerMTok\":\"3\",\"cacheReadUsdPerMTok\":\"0.3\",\"cacheWriteUsdPerMTok\":\"3.75\","
                + "\"cacheWrite1hUsdPerMTok\":\"6\",\"outputUsdPerMTok\":\"15\",\"usdPerImage\":\"0\",\"usdPerWebSearch\":"
                + "\"0.01\",\"longContext\":{\"aboveInputTokens\":200000,\"inputUsdPerMTok\":\"6\",\"cacheReadUsdPerMTok\":"
                + "\"0.6\",\"cacheWriteUsdPerMTok\":\"7.5\",\"cacheWrite1hUsdPerMTok\":\"12\",\"outputUsdPerMTok\":\"22.5\"}}";
        List<String> listParams = List.of("limit", "cursor", "type");
        List<String> modelParams = List.of("accountId", "worldId", "journeyId");
        List<Endpoint> out = new ArrayList<>(List.of(
                new Endpoint("POST", "/api/v1/turns", turn, engine, List.of()),
                new Endpoint("POST", "/api/v1/turns/{turn}/settle", UsageForms.random(new Random(1), 5_000, 400), engine, List.of()),
                new Endpoint("POST", "/api/v1/turns/{turn}/settle", "{\"anthropicUsage\":{\"input_tokens\":10,"
                        + "\"cache_creation_input_tokens\":4,\"cache_read_input_tokens\":2,\"output_tokens\":3,"
                        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1,\"ephemeral_1h_input_tokens\":3},"
                        + "\"server_tool_use\":{\"web_search_requests\":1}},\"webSearchRequests\":1}", engine, List.of()),
                new Endpoint("POST", "/api/v1/turns/{turn}/void", "{}", engine, List.of()),
                new Endpoint("GET", "/api/v1/turns/{turn}", null, engine, List.of()),
                new Endpoint("GET", "/api/v1/accounts/{account}", null, player, List.of()),
                new Endpoint("PUT", "/api/v1/accounts/{account}/limits", "{\"dailySpendLimitMillicredits\":50000000}", player, List.of()),
                new Endpoint("GET", "/api/v1/accounts/{account}/transactions", null, player, listParams),
                new Endpoint("GET", "/api/v1/accounts/{account}/transactions.csv", null, player, List.of("type")),
                new Endpoint("PUT", "/api/v1/worlds/{world}", "{\"ownerId\":\"" + account + "\",\"title\":\"Fuzz\",\"published\":true}", engine, List.of()),
                new Endpoint("GET", "/api/v1/worlds/{world}/earnings", null, admin, List.of()),
                new Endpoint("GET", "/api/v1/models", null, player, modelParams),
                new Endpoint("POST", "/api/v1/admin/adjustments", "{\"adjustmentId\":\"fz-adj\",\"accountId\":\"" + account
                        + "\",\"amountMillicredits\":1000,\"reason\":\"fuzz\"}", admin, List.of()),
                new Endpoint("PUT", "/api/v1/admin/models/{model}", "{\"name\":\"Fuzz\",\"provider\":\"openai\",\"tier\":"
                        + "\"standard\",\"creditsOnly\":true,\"isDefault\":false,\"prices\":" + prices
                        + ",\"cacheTtlSeconds\":300}", admin, List.of()),
                new Endpoint("POST", "/api/v1/admin/clock", "{\"now\":\"" + clockAtStart + "\"}", admin, List.of()),
                new Endpoint("GET", "/api/v1/admin/clock", null, admin, List.of()),
                // Far in the past: a valid-by-chance payout pays nothing another test expects to be paid.
                new Endpoint("POST", "/api/v1/admin/payouts", "{\"through\":\"2001-01-01\"}", admin, List.of()),
                new Endpoint("POST", "/api/v1/admin/calibration", "{}", admin, List.of()),
                new Endpoint("GET", "/api/v1/admin/reconciliation", null, admin, List.of()),
                new Endpoint("GET", "/api/v1/packs", null, none, List.of()),
                new Endpoint("POST", "/api/v1/checkout-sessions", "{\"packId\":\"pack-large\"}", player, List.of()),
                new Endpoint("POST", "/api/v1/stripe/webhook", "{\"id\":\"evt_fz\",\"object\":\"event\",\"type\":"
                        + "\"checkout.session.completed\",\"data\":{\"object\":{\"id\":\"cs_fz\",\"payment_status\":\"paid\","
                        + "\"amount_total\":2500,\"currency\":\"usd\",\"client_reference_id\":\"" + other + "\"}}}", none, List.of()),
                new Endpoint("GET", "/api/v1/journeys/{journey}/costs", null, player, List.of())));
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }
}
