package com.imagina.credits.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.ApiTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciliation's two modes over real HTTP: full and since a watermark, each check timed, a
 * broken row found by both, the statement bound, turns not blocked while it runs, and the scheduled
 * run once at a time across instances with its result exported as a metric.
 */
class ReconciliationModesApiTest extends ApiTest {
    private static final String SONNET = "claude-sonnet-4-5";

    @Autowired
    ReconciliationJob job;

    @Autowired
    DataSource dataSource;

    private Instant serviceNow() {
        return Instant.parse(api.get("/api/v1/admin/clock", api.admin()).json().get("now").asText());
    }

    private String settledTurn(String account, String world) {
        String turnId = id("t");
        Map<String, Object> body = new HashMap<>();
        body.put("turnId", turnId);
        body.put("accountId", account);
        body.put("journeyId", "j-" + account);
        body.put("worldId", world);
        body.put("modelId", SONNET);
        body.put("purpose", "world_text");
        body.put("maxOutputTokens", 1000);
        body.put("expectedInputTokens", 1000);
        var a = api.post("/api/v1/turns", api.engine(), body);
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        var s = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                Map.of("usage", Map.of("inputTokens", 1000, "outputTokens", 200)));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        return turnId;
    }

    private JsonNode reconcile(String query) {
        var r = api.get("/api/v1/admin/reconciliation" + query, api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode c : report.get("checks")) {
            if (c.get("name").asText().equals(name)) return c;
        }
        throw new AssertionError("no check " + name + " in " + report);
    }

    @Test
    void fullAndIncrementalBothFindABrokenBalanceAndSayHowLongEachCheckTook() {
        String owner = id("owner");
        adjust(owner, 10_000_000);
        String world = world(owner, true);
        Instant before = serviceNow().minusSeconds(1);
        settledTurn(owner, world);

        JsonNode full = reconcile("?full=true");
        assertThat(full.get("ok").asBoolean()).as(full.toString()).isTrue();
        assertThat(full.get("mode").asText()).isEqualTo("full");
        assertThat(full.get("checks")).hasSizeGreaterThanOrEqualTo(8);
        for (JsonNode c : full.get("checks")) {
            assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("checked");
            assertThat(c.get("millis").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(c.get("violations").asLong()).isZero();
        }
        JsonNode incremental = reconcile("?since=" + before);
        assertThat(incremental.get("ok").asBoolean()).as(incremental.toString()).isTrue();
        assertThat(incremental.get("mode").asText()).isEqualTo("incremental");
        assertThat(incremental.get("since").asText()).isEqualTo(before.toString());
        // Every check of the ledger's own has an incremental form; another feature's check without one is
        // skipped here and left to the full runs.
        for (JsonNode c : incremental.get("checks")) {
            boolean core = LedgerChecks.CORE.stream().anyMatch(k -> k.name().equals(c.get("name").asText()));
            assertThat(c.get("status").asText()).as(c.toString()).isIn(core ? List.of("checked")
                    : List.of("checked", "skipped"));
        }

        // One millicredit that no entry explains, and a settled turn whose entry charges another amount.
        String turnId = settledTurn(owner, world);
        jdbc.sql("update accounts set balance_millicredits = balance_millicredits + 1 where account_id = :a")
                .param("a", owner).update();
        jdbc.sql("update turns set charged_millicredits = charged_millicredits + 1, cost_millicredits = cost_millicredits + 1"
                + " where turn_id = :t").param("t", turnId).update();
        try {
            JsonNode brokenFull = reconcile("");
            assertThat(brokenFull.get("ok").asBoolean()).isFalse();
            assertThat(check(brokenFull, "balance_equals_sum_of_entries").get("violations").asLong()).isEqualTo(1);
            assertThat(check(brokenFull, "settled_turn_has_one_entry").get("violations").asLong()).isEqualTo(1);
            JsonNode brokenSince = reconcile("?since=" + before);
            assertThat(brokenSince.get("ok").asBoolean()).isFalse();
            assertThat(check(brokenSince, "balance_equals_sum_of_entries").get("violations").asLong()).isEqualTo(1);
            assertThat(check(brokenSince, "settled_turn_has_one_entry").get("violations").asLong()).isEqualTo(1);
            // Since a time after the last change, the account and the turn are out of scope.
            JsonNode later = reconcile("?since=" + serviceNow().plus(Duration.ofHours(2)));
            assertThat(check(later, "balance_equals_sum_of_entries").get("violations").asLong()).isZero();
            assertThat(check(later, "settled_turn_has_one_entry").get("violations").asLong()).isZero();
        } finally {
            jdbc.sql("update accounts set balance_millicredits = balance_millicredits - 1 where account_id = :a")
                    .param("a", owner).update();
            jdbc.sql("update turns set charged_millicredits = charged_millicredits - 1, cost_millicredits = cost_millicredits - 1"
                    + " where turn_id = :t").param("t", turnId).update();
        }
        assertReconciled();
    }

    @Test
    void badParametersAre400() {
        assertThat(api.get("/api/v1/admin/reconciliation?since=yesterday", api.admin()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/admin/reconciliation?full=maybe", api.admin()).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/admin/reconciliation?full=true&since=2026-01-01T00:00:00Z", api.admin()).status())
                .isEqualTo(400);
        assertThat(api.get("/api/v1/admin/reconciliation", api.player("someone")).status()).isEqualTo(403);
    }

    @Test
    void aCheckPastItsStatementBoundIsTimedOutTheOthersRunAndTurnsGoOn() throws Exception {
        String owner = id("owner");
        adjust(owner, 10_000_000);
        String world = world(owner, true);
        // Another session holds checkout_sessions exclusively: only the payments' checks read it.
        try (Connection blocker = otherConnection()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("lock table checkout_sessions in access exclusive mode");
            }
            long started = System.nanoTime();
            var running = CompletableFuture.supplyAsync(() -> reconcile("?since=" + serviceNow().minusSeconds(60)));
            // While the reconciliation waits, a turn is authorized and settled without waiting for it.
            long turnStarted = System.nanoTime();
            settledTurn(owner, world);
            assertThat(Duration.ofNanos(System.nanoTime() - turnStarted)).isLessThan(Duration.ofSeconds(5));
            JsonNode report = running.get(60, TimeUnit.SECONDS);
            blocker.rollback();
            assertThat(report.get("ok").asBoolean()).isFalse();
            JsonNode blocked = check(report, "payments_agree_with_ledger");
            assertThat(blocked.get("status").asText()).isEqualTo("timed_out");
            assertThat(blocked.get("violations").isNull()).isTrue();
            assertThat(check(report, "balance_equals_sum_of_entries").get("status").asText()).isEqualTo("checked");
            // The bound (test profile: 3 s) ended the wait, not the lock.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void theScheduledRunIsOnceAtATimeMovesItsWatermarkAndIsExported() throws Exception {
        try (Connection other = otherConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("select pg_advisory_xact_lock(" + 0x5245434F4EL + ")");
            }
            assertThat(job.runOnce()).as("another instance holds the run").isEmpty();
            other.rollback();
        }
        Instant before = serviceNow();
        var report = job.runOnce().orElseThrow();
        assertThat(report.mode()).isEqualTo("incremental");
        assertThat(report.ok()).as(report.toString()).isTrue();
        Instant through = jdbc.sql("select checked_through from reconciliation_state where id = 1")
                .query(java.sql.Timestamp.class).single().toInstant();
        assertThat(through).isAfterOrEqualTo(before.minusSeconds(1));
        job.refresh();
        var metrics = api.get("/actuator/prometheus", api.admin());
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("credits_reconciliation_ok 1.0")
                .contains("credits_reconciliation_violations 0.0")
                .contains("credits_reconciliation_checked_through");
    }

    /** A session of its own (out of the service's pool, returned and rolled back when closed). */
    private Connection otherConnection() throws Exception {
        return dataSource.getConnection();
    }
}
