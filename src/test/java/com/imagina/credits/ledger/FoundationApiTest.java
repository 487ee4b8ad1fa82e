package com.imagina.credits.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FoundationApiTest extends ApiTest {

    @Test
    void newAccountHasZeroBalanceAndFullFreeTurns() {
        String acct = id("u");
        var r = api.get("/api/v1/accounts/me", api.player(acct));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode a = r.json();
        assertThat(a.get("accountId").asText()).isEqualTo(acct);
        assertThat(a.get("balanceMillicredits").asLong()).isZero();
        assertThat(a.get("heldMillicredits").asLong()).isZero();
        assertThat(a.get("availableMillicredits").asLong()).isZero();
        assertThat(a.at("/freeTurns/remaining").asInt()).isEqualTo(5);
        assertThat(a.at("/freeTurns/dailyAllowance").asInt()).isEqualTo(5);
        assertThat(a.at("/freeTurns/resetsAt").asText()).endsWith("T00:00:00Z");
    }

    @Test
    void rolesAreIsolated() {
        String alice = id("alice");
        String bob = id("bob");
        assertThat(api.get("/api/v1/accounts/" + alice, null).status()).isEqualTo(401);
        var bad = api.get("/api/v1/accounts/" + alice, "not-a-token");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.contentType()).contains("application/problem+json");
        assertThat(bad.json().get("code").asText()).isEqualTo("unauthorized");
        String forged = new Api(api.baseUrl(), "another-secret-entirely").player(alice);
        assertThat(api.get("/api/v1/accounts/" + alice, forged).status()).isEqualTo(401);

        var other = api.get("/api/v1/accounts/" + bob, api.player(alice));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().get("code").asText()).isEqualTo("forbidden");
        assertThat(api.get("/api/v1/accounts/" + bob + "/transactions", api.player(alice)).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/accounts/" + alice, api.player(alice)).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/accounts/" + bob, api.engine()).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/accounts/" + bob, api.admin()).status()).isEqualTo(200);

        Map<String, Object> adj = Map.of("adjustmentId", id("adj"), "accountId", alice, "amountMillicredits", 5,
                "reason", "x");
        assertThat(api.post("/api/v1/admin/adjustments", api.player(alice), adj).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/admin/adjustments", api.engine(), adj).status()).isEqualTo(403);
        assertThat(api.put("/api/v1/worlds/" + id("w"), api.player(alice),
                Map.of("ownerId", alice, "title", "t", "published", true)).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/turns", api.player(alice), Map.of("turnId", id("t"))).status()).isEqualTo(403);
        assertThat(balance(alice)).isZero();
    }

    @Test
    void adjustmentsAreIdempotent() throws Exception {
        String acct = id("u");
        String adjId = id("adj");
        Map<String, Object> body = Map.of("adjustmentId", adjId, "accountId", acct, "amountMillicredits", 12_345,
                "reason", "goodwill");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Callable<Api.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) calls.add(() -> api.post("/api/v1/admin/adjustments", api.admin(), body));
        Set<String> bodies = new HashSet<>();
        for (Future<Api.Response> f : pool.invokeAll(calls)) {
            Api.Response r = f.get();
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            bodies.add(r.json().toString());
        }
        pool.shutdown();
        assertThat(bodies).hasSize(1);
        assertThat(balance(acct)).isEqualTo(12_345);
        long entries = jdbc.sql("select count(*) from ledger_entries where account_id = :a").param("a", acct)
                .query(Long.class).single();
        assertThat(entries).isEqualTo(1);

        var conflict = api.post("/api/v1/admin/adjustments", api.admin(), Map.of("adjustmentId", adjId,
                "accountId", acct, "amountMillicredits", 99, "reason", "goodwill"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("code").asText()).isEqualTo("idempotency_conflict");
        assertThat(balance(acct)).isEqualTo(12_345);
    }

    @Test
    void cursorPagingNeverSkipsOrRepeats() {
        String acct = id("u");
        for (int i = 1; i <= 125; i++) {
            adjust(acct, i);
        }
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var r = api.get("/api/v1/accounts/" + acct + "/transactions?limit=50"
                    + (cursor == null ? "" : "&cursor=" + cursor), api.player(acct));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            for (JsonNode item : r.json().get("items")) {
                seen.add(item.get("amountMillicredits").asLong());
                assertThat(item.get("type").asText()).isEqualTo("adjustment");
            }
            cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        List<Long> expected = new ArrayList<>();
        for (long i = 125; i >= 1; i--) expected.add(i);
        assertThat(seen).isEqualTo(expected);
        var filtered = api.get("/api/v1/accounts/" + acct + "/transactions?type=purchase", api.player(acct));
        assertThat(filtered.json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/accounts/" + acct + "/transactions?limit=201", api.player(acct)).status())
                .isEqualTo(400);
        assertThat(api.get("/api/v1/accounts/" + acct + "/transactions?type=bogus", api.player(acct)).status())
                .isEqualTo(400);
        assertThat(api.get("/api/v1/accounts/" + acct + "/transactions?cursor=zzz", api.player(acct)).status())
                .isEqualTo(400);
    }

    @Test
    void badInputIsRejectedAndChangesNothing() {
        String acct = id("u");
        adjust(acct, 1_000);
        String admin = api.admin();
        List<String> bad = List.of(
                "{not json",
                "{\"adjustmentId\":\"a1\",\"accountId\":\"" + acct + "\",\"amountMillicredits\":\"12\",\"reason\":\"r\"}",
                "{\"adjustmentId\":\"a2\",\"accountId\":\"" + acct + "\",\"amountMillicredits\":1.5,\"reason\":\"r\"}",
                "{\"adjustmentId\":\"a3\",\"accountId\":\"" + acct + "\",\"amountMillicredits\":99999999999999999999,\"reason\":\"r\"}",
                "{\"adjustmentId\":\"a4\",\"accountId\":\"" + acct + "\",\"reason\":\"r\"}",
                "{\"adjustmentId\":\"\",\"accountId\":\"" + acct + "\",\"amountMillicredits\":5,\"reason\":\"r\"}",
                "[1,2,3]",
                "");
        for (String body : bad) {
            var r = api.raw("POST", "/api/v1/admin/adjustments", admin, body, Map.of("Content-Type", "application/json"));
            assertThat(r.status()).as(body + " -> " + r).isEqualTo(400);
            assertThat(r.contentType()).contains("application/problem+json");
            assertThat(r.json().get("code").asText()).isEqualTo("invalid_request");
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        var world = api.raw("PUT", "/api/v1/worlds/" + id("w"), api.engine(),
                "{\"ownerId\":\"o\",\"title\":\"t\",\"published\":\"yes\"}", Map.of("Content-Type", "application/json"));
        assertThat(world.status()).isEqualTo(400);
        var turn = api.raw("POST", "/api/v1/turns", api.engine(), "{\"turnId\":\"t1\",\"accountId\":\"" + acct
                + "\",\"journeyId\":\"j\",\"worldId\":\"w\",\"modelId\":\"m\",\"purpose\":\"dance\"}",
                Map.of("Content-Type", "application/json"));
        assertThat(turn.status()).as(turn.toString()).isEqualTo(400);
        var negative = api.raw("POST", "/api/v1/turns", api.engine(), "{\"turnId\":\"t1\",\"accountId\":\"" + acct
                + "\",\"journeyId\":\"j\",\"worldId\":\"w\",\"modelId\":\"m\",\"maxOutputTokens\":-1}",
                Map.of("Content-Type", "application/json"));
        assertThat(negative.status()).isEqualTo(400);
        var absurd = api.raw("POST", "/api/v1/turns", api.engine(), "{\"turnId\":\"t1\",\"accountId\":\"" + acct
                + "\",\"journeyId\":\"j\",\"worldId\":\"w\",\"modelId\":\"m\",\"maxOutputTokens\":10000001}",
                Map.of("Content-Type", "application/json"));
        assertThat(absurd.status()).isEqualTo(400);
        assertThat(balance(acct)).isEqualTo(1_000);
        long entries = jdbc.sql("select count(*) from ledger_entries where account_id = :a").param("a", acct)
                .query(Long.class).single();
        assertThat(entries).isEqualTo(1);
    }

    @Test
    void unknownIdsAre404WithTheirCodes() {
        String acct = id("u");
        String w = world(id("owner"), true);
        var noModel = api.post("/api/v1/turns", api.engine(), Map.of("turnId", id("t"), "accountId", acct,
                "journeyId", "j", "worldId", w, "modelId", "no-such-model", "maxOutputTokens", 10,
                "expectedInputTokens", 10));
        assertThat(noModel.status()).isEqualTo(404);
        assertThat(noModel.json().get("code").asText()).isEqualTo("unknown_model");
        var noWorld = api.post("/api/v1/turns", api.engine(), Map.of("turnId", id("t"), "accountId", acct,
                "journeyId", "j", "worldId", "no-such-world", "modelId", "claude-sonnet-4-5"));
        assertThat(noWorld.status()).isEqualTo(404);
        assertThat(noWorld.json().get("code").asText()).isEqualTo("unknown_world");
        var noTurn = api.post("/api/v1/turns/nope/settle", api.engine(), Map.of("usage", Map.of("inputTokens", 1)));
        assertThat(noTurn.status()).isEqualTo(404);
        assertThat(noTurn.json().get("code").asText()).isEqualTo("unknown_turn");
        assertThat(api.get("/api/v1/turns/nope", api.engine()).json().get("code").asText()).isEqualTo("unknown_turn");
    }

    @Test
    void modelsCarryPricesAsDecimalStringsAndOneDefault() {
        var r = api.get("/api/v1/models", api.player(id("u")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode models = r.json().get("models");
        assertThat(models.size()).isGreaterThanOrEqualTo(5);
        int defaults = 0;
        boolean astral = false;
        for (JsonNode m : models) {
            if (m.get("isDefault").asBoolean()) defaults++;
            if (m.get("creditsOnly").asBoolean() && m.get("name").asText().contains("Astral Lumen")) astral = true;
            assertThat(m.at("/prices/inputUsdPerMTok").isTextual()).isTrue();
            assertThat(m.at("/prices/outputUsdPerMTok").isTextual()).isTrue();
            assertThat(m.get("estimate").get("basis").asText()).isIn("world", "model", "prior");
        }
        assertThat(defaults).isEqualTo(1);
        assertThat(astral).isTrue();
    }

    @Test
    void adminCanCreateAndRepriceModelsAndSwitchTheDefault() {
        String admin = api.admin();
        String modelId = id("m");
        Map<String, Object> prices = Map.of("inputUsdPerMTok", "2.5", "cacheReadUsdPerMTok", "0.25",
                "cacheWriteUsdPerMTok", "3.125", "outputUsdPerMTok", "10", "usdPerImage", "0");
        var created = api.put("/api/v1/admin/models/" + modelId, admin, Map.of("name", "Test", "provider", "openai",
                "tier", "standard", "creditsOnly", false, "isDefault", false, "prices", prices, "cacheTtlSeconds", 300));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.json().at("/prices/inputUsdPerMTok").asText()).isEqualTo("2.5");
        var bad = api.put("/api/v1/admin/models/" + modelId, admin, Map.of("name", "Test", "provider", "openai",
                "tier", "standard", "creditsOnly", false, "isDefault", false,
                "prices", Map.of("inputUsdPerMTok", "-1", "cacheReadUsdPerMTok", "0", "cacheWriteUsdPerMTok", "0",
                        "outputUsdPerMTok", "1"), "cacheTtlSeconds", 300));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/models", admin).json().get("models").findValues("isDefault").stream()
                .filter(JsonNode::asBoolean).count()).isEqualTo(1);

        // Exactly one default: clearing it on the default itself is refused and changes nothing.
        JsonNode current = defaultModel(admin);
        Map<String, Object> cleared = Api.JSON.convertValue(current, new TypeReference<Map<String, Object>>() {});
        cleared.keySet().retainAll(Set.of("name", "provider", "tier", "creditsOnly", "prices", "cacheTtlSeconds"));
        cleared.put("isDefault", false);
        var refused = api.put("/api/v1/admin/models/" + current.get("id").asText(), admin, cleared);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("code").asText()).isEqualTo("default_required");
        assertThat(defaultModel(admin).get("id").asText()).isEqualTo(current.get("id").asText());
    }

    private JsonNode defaultModel(String admin) {
        JsonNode defaults = null;
        for (JsonNode m : api.get("/api/v1/models", admin).json().get("models")) {
            if (m.get("isDefault").asBoolean()) {
                assertThat(defaults).as("a second default").isNull();
                defaults = m;
            }
        }
        assertThat(defaults).as("no default model").isNotNull();
        return defaults;
    }

    @Test
    void openApiAndHealthAreServed() {
        assertThat(api.get("/v3/api-docs", null).status()).isEqualTo(200);
        assertThat(api.get("/swagger-ui.html", null).status()).isIn(200, 302);
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        // Metrics are the operator's (#16): an admin token, not the public.
        assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(api.get("/actuator/prometheus", api.admin()).status()).isEqualTo(200);
    }

    @Test
    void reconciliationIsOk() {
        assertReconciled();
    }
}
