package com.imagina.credits.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Walks every admin route that may change something (POST, PUT, PATCH, DELETE under /api/v1/admin/, as the
 * running service maps them) and calls each as an admin would: afterwards the audit trail has a row for
 * it, naming the actor. The routes that move money (or the clock, prices and payouts) get a valid request
 * and must be recorded as applied, with their reason; a route this test does not know yet gets an empty
 * body and must still leave a row (the audit filter's), whatever it answered.
 */
class AdminRoutesAuditTest extends ApiTest {
    static final Set<RequestMethod> CHANGING = Set.of(RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH,
            RequestMethod.DELETE);

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Route(String method, String pattern) {}

    record Call(String path, Object body, String action, String reason) {}

    List<Route> changingAdminRoutes() {
        List<Route> routes = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/v1/admin/")) continue;
                for (RequestMethod m : info.getMethodsCondition().getMethods()) {
                    if (CHANGING.contains(m)) routes.add(new Route(m.name(), pattern));
                }
            }
        }
        return routes;
    }

    /** A valid request for each route whose effect this test knows. */
    Map<Route, Call> knownCalls() {
        String player = id("u-walk");
        Map<Route, Call> calls = new LinkedHashMap<>();
        calls.put(new Route("POST", "/api/v1/admin/adjustments"), new Call("/api/v1/admin/adjustments",
                Map.of("adjustmentId", id("adj"), "accountId", player, "amountMillicredits", 50_000, "reason", "walk: adjustment"),
                "adjustment", "walk: adjustment"));
        calls.put(new Route("POST", "/api/v1/admin/grants"), new Call("/api/v1/admin/grants",
                Map.of("grantId", id("g"), "accountId", player, "amountMillicredits", 5_000, "kind", "goodwill",
                        "reason", "walk: grant"), "grant", "walk: grant"));
        String session = buy(player);
        calls.put(new Route("POST", "/api/v1/admin/refunds"), new Call("/api/v1/admin/refunds",
                Map.of("refundId", id("rf"), "sessionId", session, "amountCents", 100, "reason", "walk: refund"),
                "refund", "walk: refund"));
        String turnId = authorize(player);
        calls.put(new Route("POST", "/api/v1/admin/turns/{turnId}/release"), new Call(
                "/api/v1/admin/turns/" + turnId + "/release", Map.of("reason", "walk: release"), "hold_release", "walk: release"));
        String modelId = id("walk-model");
        calls.put(new Route("PUT", "/api/v1/admin/models/{modelId}"), new Call("/api/v1/admin/models/" + modelId,
                Map.of("name", "Walk", "provider", "test", "tier", "standard", "creditsOnly", true, "isDefault", false,
                        "prices", Map.of("inputUsdPerMTok", "1", "cacheReadUsdPerMTok", "0.1", "cacheWriteUsdPerMTok", "1.25",
                                "outputUsdPerMTok", "5", "usdPerImage", "0"), "cacheTtlSeconds", 300),
                "model_change", null));
        Instant now = Instant.parse(api.get("/api/v1/admin/clock", api.admin()).json().get("now").asText());
        calls.put(new Route("POST", "/api/v1/admin/clock"), new Call("/api/v1/admin/clock",
                Map.of("now", now.toString()), "clock_set", null));
        calls.put(new Route("POST", "/api/v1/admin/payouts"), new Call("/api/v1/admin/payouts",
                Map.of("through", "2001-01-01"), "payout_run", null));
        calls.put(new Route("POST", "/api/v1/admin/calibration"), new Call("/api/v1/admin/calibration", Map.of(),
                "calibration", null));
        return calls;
    }

    String buy(String player) {
        Api.Response created = api.post("/api/v1/checkout-sessions", api.player(player), Map.of("packId", "pack-small"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String session = created.json().get("id").asText();
        assertThat(api.raw("POST", "/checkout/simulated/" + session + "/pay", null, "",
                Map.of("Content-Type", "application/x-www-form-urlencoded")).status()).isEqualTo(303);
        return session;
    }

    String authorize(String player) {
        String turnId = id("t");
        Api.Response r = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", player,
                "journeyId", id("j"), "worldId", world(id("owner"), true), "modelId", "claude-sonnet-4-5",
                "purpose", "world_text", "maxOutputTokens", 500, "expectedInputTokens", 8000));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return turnId;
    }

    long rowsFor(String actor, String path, String outcome) {
        return jdbc.sql("""
                select count(*) from audit_log
                 where actor = :actor and request ->> 'path' = :path and (cast(:outcome as text) is null or outcome = :outcome)""")
                .param("actor", actor).param("path", path).param("outcome", outcome).query(Long.class).single();
    }

    @Test
    void everyAdminCallThatChangesSomethingLeavesAnAuditRow() {
        List<Route> routes = changingAdminRoutes();
        Map<Route, Call> known = knownCalls();
        assertThat(routes).as("the money-moving admin routes are all mapped").containsAll(known.keySet());
        String actor = id("auditor");
        String token = api.token(actor, "admin");
        for (Route route : routes) {
            Call call = known.get(route);
            if (call != null) {
                Api.Response r = api.raw(route.method(), call.path(), token, Api.JSON.valueToTree(call.body()).toString(),
                        Map.of("Content-Type", "application/json"));
                assertThat(r.status()).as(route + " → " + r).isBetween(200, 299);
                assertThat(rowsFor(actor, call.path(), "applied")).as(route + " left an applied row").isPositive();
                List<Map<String, Object>> rows = jdbc.sql("""
                        select action, reason from audit_log where actor = :actor and request ->> 'path' = :path
                           and outcome = 'applied'""").param("actor", actor).param("path", call.path()).query().listOfRows();
                assertThat(rows).as(route.toString()).anyMatch(row -> call.action().equals(row.get("action"))
                        && (call.reason() == null || call.reason().equals(row.get("reason"))));
            } else {
                String path = route.pattern().replaceAll("\\{[^}]+}", id("x"));
                Api.Response r = api.raw(route.method(), path, token, "{}", Map.of("Content-Type", "application/json"));
                assertThat(rowsFor(actor, path, null)).as(route + " → " + r.status() + " left no audit row").isPositive();
            }
        }
    }

    @Test
    void aRefusedMoneyMoveIsRecordedAsRefusedAndMovesNothing() {
        String actor = id("auditor");
        String player = id("u-walk-refused");
        Api.Response r = api.post("/api/v1/admin/adjustments", api.token(actor, "admin"), Map.of("adjustmentId", id("adj"),
                "accountId", player, "amountMillicredits", 0, "reason", "zero"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(rowsFor(actor, "/api/v1/admin/adjustments", "refused")).isEqualTo(1);
        assertThat(rowsFor(actor, "/api/v1/admin/adjustments", "applied")).isZero();
    }
}
