package com.imagina.credits.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every admin action leaves a row: who, when, what was asked, why, and what came of it. */
class AuditApiTest extends ApiTest {

    private List<JsonNode> items(String query) {
        Api.Response r = api.get("/api/v1/admin/audit?" + query, api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("items").forEach(out::add);
        return out;
    }

    @Test
    void anAdjustmentItsReplayAndItsRefusalsAreRecordedWithActorReasonAndOutcome() {
        String support = id("support");
        String token = api.token(support, "admin");
        String acct = id("u");
        String adjustmentId = id("adj");
        Map<String, Object> body = Map.of("adjustmentId", adjustmentId, "accountId", acct,
                "amountMillicredits", 12_345, "reason", "goodwill: lost turn");
        assertThat(api.post("/api/v1/admin/adjustments", token, body).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/admin/adjustments", token, body).status()).isEqualTo(201); // replay
        Api.Response conflict = api.post("/api/v1/admin/adjustments", token, Map.of("adjustmentId", adjustmentId,
                "accountId", acct, "amountMillicredits", 99, "reason", "changed my mind"));
        assertThat(conflict.status()).isEqualTo(409);
        Api.Response zero = api.post("/api/v1/admin/adjustments", token, Map.of("adjustmentId", id("adj"),
                "accountId", acct, "amountMillicredits", 0, "reason", "nothing"));
        assertThat(zero.status()).isEqualTo(400);

        List<JsonNode> rows = items("actor=" + support);
        assertThat(rows).hasSize(4);
        // Newest first.
        assertThat(rows.stream().map(r -> r.get("outcome").asText()))
                .containsExactly("refused", "refused", "replayed", "applied");
        JsonNode applied = rows.get(3);
        assertThat(applied.get("actor").asText()).isEqualTo(support);
        assertThat(applied.get("action").asText()).isEqualTo("adjustment");
        assertThat(applied.get("accountId").asText()).isEqualTo(acct);
        assertThat(applied.get("reason").asText()).isEqualTo("goodwill: lost turn");
        assertThat(applied.get("request").get("body").get("amountMillicredits").asLong()).isEqualTo(12_345);
        assertThat(applied.get("request").get("path").asText()).isEqualTo("/api/v1/admin/adjustments");
        assertThat(applied.get("at").asText()).isNotEmpty();
        assertThat(rows.get(1).get("detail").asText()).startsWith("idempotency_conflict");
        assertThat(rows.get(1).get("reason").asText()).isEqualTo("changed my mind");
        assertThat(rows.get(0).get("status").asInt()).isEqualTo(400);
        assertThat(rows.get(0).get("detail").asText()).startsWith("invalid_request");
        // The one that moved money committed with its entry: one row applied, one entry.
        long entries = jdbc.sql("select count(*) from ledger_entries where account_id = :a").param("a", acct)
                .query(Long.class).single();
        assertThat(entries).isEqualTo(1);
        assertThat(items("accountId=" + acct)).hasSize(4);
    }

    @Test
    void clockAndPriceChangesAreRecordedTooWithTheReasonHeader() {
        String support = id("support");
        String token = api.token(support, "admin");
        Instant now = Instant.parse("2026-11-20T12:00:00Z");
        assertThat(api.post("/api/v1/admin/clock", token, Map.of("now", now.toString())).status()).isEqualTo(200);
        JsonNode model = api.get("/api/v1/models", api.admin()).json().get("models").get(0);
        String modelId = id("m");
        Map<String, Object> put = Map.of("name", "Audit model", "provider", "anthropic", "tier", "standard",
                "creditsOnly", false, "isDefault", false, "prices", model.get("prices"), "cacheTtlSeconds", 300);
        Api.Response r = api.raw("PUT", "/api/v1/admin/models/" + modelId, token, toJson(put),
                Map.of("Content-Type", "application/json", "Audit-Reason", "new model launch"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);

        List<JsonNode> rows = items("actor=" + support);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("action").asText()).isEqualTo("model_change");
        assertThat(rows.get(0).get("reason").asText()).isEqualTo("new model launch");
        assertThat(rows.get(0).get("outcome").asText()).isEqualTo("applied");
        assertThat(rows.get(1).get("action").asText()).isEqualTo("clock_set");
        assertThat(rows.get(1).get("request").get("body").get("now").asText()).isEqualTo(now.toString());
        // Time filters: the day the clock was set to.
        assertThat(items("actor=" + support + "&from=2026-11-20&to=2026-11-20")).hasSize(2);
        assertThat(items("actor=" + support + "&to=2026-11-19")).isEmpty();
        assertThat(items("actor=" + support + "&from=2026-11-21")).isEmpty();
    }

    @Test
    void pagesThroughWithTheCursorAndRefusesBadFilters() {
        String support = id("support");
        String token = api.token(support, "admin");
        for (int i = 0; i < 5; i++) {
            assertThat(api.post("/api/v1/admin/adjustments", token, Map.of("adjustmentId", id("adj"),
                    "accountId", id("u"), "amountMillicredits", 1_000 + i, "reason", "r" + i)).status()).isEqualTo(201);
        }
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response r = api.get("/api/v1/admin/audit?limit=2&actor=" + support
                    + (cursor == null ? "" : "&cursor=" + cursor), api.admin());
            assertThat(r.status()).isEqualTo(200);
            r.json().get("items").forEach(i -> seen.add(i.get("id").asLong()));
            cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(5).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
        assertThat(api.get("/api/v1/admin/audit?from=yesterday", api.admin()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/admin/audit?cursor=nope", api.admin()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/admin/audit", api.player("u-1")).status()).isEqualTo(403);
    }

    @Test
    void callsWithoutTheAdminRoleLeaveNoRowAndRowsCannotBeChanged() {
        String player = id("u");
        Api.Response r = api.post("/api/v1/admin/adjustments", api.token(player, "player"), Map.of("adjustmentId",
                id("adj"), "accountId", player, "amountMillicredits", 5, "reason", "self-service"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(items("actor=" + player)).isEmpty();

        String support = id("support");
        api.post("/api/v1/admin/calibration", api.token(support, "admin"), Map.of());
        assertThat(items("actor=" + support)).singleElement()
                .satisfies(row -> assertThat(row.get("action").asText()).isEqualTo("calibration"));
        assertThatThrownBy(() -> jdbc.sql("update audit_log set reason = 'edited' where actor = :a")
                .param("a", support).update()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_log where actor = :a").param("a", support).update())
                .hasMessageContaining("append-only");
    }

    private static String toJson(Object o) {
        try {
            return Api.JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
