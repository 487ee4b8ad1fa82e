package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The retention rule: past credits.retention.replay-days (30) after it closed, a settled turn's stored answers
 * and usage as sent are dropped; its ledger entry, cost, normalized usage and prices stay, so it is still shown,
 * explained and recomputed; a replay answers 409 replay_expired (a different body is still idempotency_conflict);
 * a turn inside the window still replays its stored answer; the books still reconcile.
 */
class TurnRetentionApiTest extends ApiTest {
    static final Instant T0 = Instant.parse("2034-05-01T10:00:00Z");

    @Autowired
    TurnRetention retention;

    private Map<String, Object> authorize(String turnId, String account, String world, long maxOutput) {
        return Map.of("turnId", turnId, "accountId", account, "journeyId", "j-" + turnId, "worldId", world,
                "modelId", "claude-opus-4-1", "purpose", "play", "maxOutputTokens", maxOutput,
                "expectedInputTokens", 2000);
    }

    private static final Map<String, Object> USAGE = Map.of("usage", Map.of("inputTokens", 1800, "cacheReadTokens",
            200, "cacheWriteTokens", 0, "cacheWrite1hTokens", 0, "outputTokens", 300, "images", 0));

    @Test
    void prunedTurnsKeepTheirCostAndRefuseReplays() {
        String account = id("ret"), owner = id("reto");
        setClock(T0);
        adjust(account, 100_000_000);
        String world = world(owner, true);
        String old = id("t-old"), recent = id("t-new");
        var a = api.post("/api/v1/turns", api.engine(), authorize(old, account, world, 500));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        var s = api.post("/api/v1/turns/" + old + "/settle", api.engine(), USAGE);
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        long cost = s.json().get("costMillicredits").asLong();

        setClock(T0.plusSeconds(29L * 86400));
        assertThat(api.post("/api/v1/turns", api.engine(), authorize(recent, account, world, 500)).status()).isEqualTo(201);
        var s2 = api.post("/api/v1/turns/" + recent + "/settle", api.engine(), USAGE);
        assertThat(s2.status()).isEqualTo(200);

        setClock(T0.plusSeconds(31L * 86400));
        assertThat(retention.pruneDue()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("select count(*) from turns where turn_id = :t and authorize_response is null"
                + " and settle_response is null and usage_raw is null").param("t", old).query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from turns where turn_id = :t and settle_response is not null")
                .param("t", recent).query(Long.class).single()).as("inside the window").isEqualTo(1);

        // Replays: the pruned turn refuses (same body), a different body is still a conflict; the recent one replays.
        var replay = api.post("/api/v1/turns", api.engine(), authorize(old, account, world, 500));
        assertThat(replay.status()).as(replay.toString()).isEqualTo(409);
        assertThat(replay.json().get("code").asText()).isEqualTo("replay_expired");
        var other = api.post("/api/v1/turns", api.engine(), authorize(old, account, world, 900));
        assertThat(other.json().get("code").asText()).as(other.toString()).isEqualTo("idempotency_conflict");
        var settleReplay = api.post("/api/v1/turns/" + old + "/settle", api.engine(), USAGE);
        assertThat(settleReplay.status()).as(settleReplay.toString()).isEqualTo(409);
        assertThat(settleReplay.json().get("code").asText()).isEqualTo("replay_expired");
        var recentReplay = api.post("/api/v1/turns/" + recent + "/settle", api.engine(), USAGE);
        assertThat(recentReplay.status()).isEqualTo(200);
        assertThat(recentReplay.body()).isEqualTo(s2.body());

        // The pruned turn is still shown, explained and recomputed from what it keeps.
        var view = api.get("/api/v1/turns/" + old, api.admin());
        assertThat(view.status()).as(view.toString()).isEqualTo(200);
        assertThat(view.json().get("costMillicredits").asLong()).isEqualTo(cost);
        var explained = api.get("/api/v1/admin/turns/" + old + "/cost", api.admin());
        assertThat(explained.status()).as(explained.toString()).isEqualTo(200);
        assertThat(explained.json().get("matches").asBoolean()).isTrue();
        assertThat(explained.json().get("recomputedMillicredits").asLong()).isEqualTo(cost);
        assertThat(api.get("/api/v1/turns/" + old + "/explanation", api.admin()).status()).isEqualTo(200);

        // A second run has nothing left to do; the ledger entry is untouched and the books reconcile.
        assertThat(retention.pruneDue()).isEqualTo(0);
        assertThat(jdbc.sql("select -amount_millicredits from ledger_entries where entry_key = :k")
                .param("k", "turn:" + old).query(Long.class).single()).isEqualTo(cost);
        var rec = api.get("/api/v1/admin/reconciliation?full=true", api.admin());
        assertThat(rec.json().get("ok").asBoolean()).as(rec.body()).isTrue();
    }
}
