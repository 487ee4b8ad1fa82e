package com.imagina.credits.payouts;

import static com.imagina.credits.payouts.Plays.PAID_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.payouts.GroupPayer.PaidOut;
import com.imagina.credits.support.Api;
import java.sql.Connection;
import java.sql.Statement;
import com.imagina.credits.payouts.Plays.GroupKey;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** The nightly job, who may call what, and what a payout request must look like. */
class PayoutRulesApiTest extends PayoutApiTestBase {
    static final String LOCK_KEY = "hashtext(current_schema() || ':revenue_share_payout')";

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DataSource dataSource;

    @Test
    void theNightlyJobPaysEveryMissedDayOnceTheyAreOverAndDoesNothingWhenNothingIsDue() {
        LocalDate d = LocalDate.parse("2031-09-10");
        String owner = Plays.newId("o"), player = Plays.newId("p");
        setClock(at(d, "09:00:00"));
        adjust(player, 50_000_000);
        String w = plays.world(owner, true);
        for (int i = 0; i < 3; i++) {
            setClock(at(d.plusDays(i), "10:00:00"));
            plays.play(player, w, PAID_MODEL, 1_000 + i, 3 * i, 100 + i);
        }
        Map<GroupKey, Long> expected = plays.expectedPayouts();

        // Down for two days; back 30 s after midnight: the days that are over are paid, the last one waits.
        setClock(at(d.plusDays(3), "00:00:30"));
        assertThat(mine(nightly.runIfDue(), w)).isEqualTo(only(expected, d, d.plusDays(1)));
        setClock(at(d.plusDays(3), "00:01:30"));
        assertThat(mine(nightly.runIfDue(), w)).isEqualTo(only(expected, d.plusDays(2)));
        assertThat(nightly.runIfDue()).isEmpty();
        assertThat(ledgerRevenueShare(w)).isEqualTo(plays.expectedShareOf(w));
        assertReconciled();

        assertThat(NightlyPayout.lastDayToPay(at(d, "00:00:59"))).isEqualTo(d.minusDays(2));
        assertThat(NightlyPayout.lastDayToPay(at(d, "00:01:00"))).isEqualTo(d.minusDays(1));
    }

    @Test
    void aWorldHandedToANewOwnerMidDayPaysEachOwnerForTheirOwnPlaysRoundedSeparately() {
        LocalDate d = LocalDate.parse("2031-09-20");
        String first = Plays.newId("o"), second = Plays.newId("o"), player = Plays.newId("p");
        setClock(at(d, "09:00:00"));
        adjust(player, 50_000_000);
        String w = plays.world(first, true);
        // cacheRead 2 adds 3 millicredits on top of a multiple of 15: each charge is 3 mod 5, so rounding
        // each owner's sum (0.6 up, twice) differs from rounding the day's total (1.2 down).
        long a = plays.play(player, w, PAID_MODEL, 1_000, 2, 100).charged();
        plays.transfer(w, second);
        long b = plays.play(player, w, PAID_MODEL, 1_100, 2, 120).charged();
        assertThat(Plays.share(a) + Plays.share(b)).isNotEqualTo(Plays.share(a + b));

        var before = earnings(w, api.admin());
        assertThat(before.get("ownerId").asText()).isEqualTo(second);
        assertThat(before.get("pendingMillicredits").asLong()).isEqualTo(Plays.share(a) + Plays.share(b));
        assertThat(before.at("/days/0/shareMillicredits").asLong()).isEqualTo(Plays.share(a) + Plays.share(b));
        assertThat(before.at("/days/0/players").asLong()).isEqualTo(1);

        setClock(at(d.plusDays(1), "00:05:00"));
        assertThat(Plays.linesFor(payThroughOk(d), Set.of(w))).isEqualTo(Map.of(
                new GroupKey(first, w, d), Plays.share(a), new GroupKey(second, w, d), Plays.share(b)));
        assertThat(balance(first)).isEqualTo(Plays.share(a));
        assertThat(balance(second)).isEqualTo(Plays.share(b));
        var after = earnings(w, api.player(second));
        assertThat(after.get("earnedMillicredits").asLong()).isEqualTo(before.get("pendingMillicredits").asLong());
        assertThat(after.get("pendingMillicredits").asLong()).isZero();
        assertReconciled();
    }

    @Test
    void whileAnotherInstanceHoldsTheRunLockTheNightlyJobSkipsAndAnAdminRunWaitsForIt() throws Exception {
        LocalDate d = LocalDate.parse("2031-10-20");
        String owner = Plays.newId("o"), player = Plays.newId("p");
        setClock(at(d, "10:00:00"));
        adjust(player, 50_000_000);
        String w = plays.world(owner, true);
        plays.play(player, w, PAID_MODEL, 1_500, 4, 150);
        setClock(at(d.plusDays(1), "00:10:00"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Api.Response> adminRun;
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("select pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            assertThat(nightly.runIfDue()).isEmpty();
            assertThat(unpaidEligible(w)).isEqualTo(1);
            adminRun = pool.submit(() -> payThrough(d));
            awaitAWaiterOnTheRunLock();
            assertThat(adminRun.isDone()).isFalse();
            assertThat(unpaidEligible(w)).isEqualTo(1);
            other.rollback();
        }
        try {
            Api.Response r = adminRun.get(60, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(Plays.linesFor(r.json(), Set.of(w))).isEqualTo(plays.expectedPayouts());
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitAWaiterOnTheRunLock() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (jdbc.sql("select count(*) from pg_locks where locktype = 'advisory' and not granted"
                + " and objid = ((" + LOCK_KEY + ")::bigint & 4294967295)::oid").query(Long.class).single() == 0) {
            assertThat(System.nanoTime()).as("an admin run waiting for the lock").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void theNothingToDoCheckNeedsNoScanOfAllTurns() {
        List<String> plan = tx.execute(status -> {
            jdbc.sql("set local enable_seqscan = off").update();
            return jdbc.sql("explain select exists (select 1 from turns t where" + RevenueShare.ELIGIBLE
                    + "and t.revenue_share_payout_id is null and t.closed_at < now())").query(String.class).list();
        });
        // Which index the planner prefers depends on statistics; what matters is that no scan of all
        // turns is needed for the "nothing to do" check.
        assertThat(String.join("\n", plan)).contains("Index").doesNotContain("Seq Scan");
    }

    @Test
    void onlyAnAdminRunsPayoutsAndOnlyForDaysThatAreOver() {
        LocalDate d = LocalDate.parse("2031-10-01");
        setClock(at(d, "12:00:00"));
        String path = "/api/v1/admin/payouts";
        Map<String, String> json = Map.of("Content-Type", "application/json");
        assertThat(api.post(path, api.player(Plays.newId("p")), Map.of("through", "2031-09-30")).status())
                .isEqualTo(403);
        assertThat(api.post(path, api.engine(), Map.of("through", "2031-09-30")).status()).isEqualTo(403);
        assertThat(api.post(path, null, Map.of("through", "2031-09-30")).status()).isEqualTo(401);
        for (String body : List.of("", "{}", "{\"through\":null}", "{\"through\":20310930}",
                "{\"through\":\"2031-02-30\"}", "{\"through\":\"yesterday\"}", "{\"through\":\"2031-9-30\"}")) {
            var r = api.raw("POST", path, api.admin(), body, json);
            assertThat(r.status()).as(body + " -> " + r).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("invalid_request");
        }
        for (LocalDate notOver : List.of(d, d.plusDays(1))) {
            var r = payThrough(notOver);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.json().get("detail").asText()).contains("not over");
            assertThat(r.json().get("latestPayableDay").asText()).isEqualTo(d.minusDays(1).toString());
        }
        assertThat(payThrough(d.minusDays(1)).status()).isEqualTo(200);

        var unknown = api.get(path + "/not-a-number", api.admin());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asText()).isEqualTo("unknown_payout");
        assertThat(api.get(path + "/0", api.admin()).json().get("code").asText()).isEqualTo("unknown_payout");
        assertThat(api.get(path + "/1", api.player(Plays.newId("p"))).status()).isEqualTo(403);
    }

    @Test
    void earningsAreForTheWorldsOwnerOrAnAdmin() {
        setClock(at(LocalDate.parse("2031-10-05"), "12:00:00"));
        String owner = Plays.newId("o");
        String w = plays.world(owner, true);
        var e = earnings(w, api.player(owner));
        assertThat(e.get("ownerId").asText()).isEqualTo(owner);
        assertThat(e.get("published").asBoolean()).isTrue();
        assertThat(e.get("authoringSpentMillicredits").asLong()).isZero();
        assertThat(e.get("earnedMillicredits").asLong()).isZero();
        assertThat(e.get("pendingMillicredits").asLong()).isZero();
        assertThat(e.get("days")).isEmpty();
        assertThat(earnings(w, api.admin()).get("worldId").asText()).isEqualTo(w);

        var other = api.get("/api/v1/worlds/" + w + "/earnings", api.player(Plays.newId("p")));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().get("code").asText()).isEqualTo("forbidden");
        assertThat(api.get("/api/v1/worlds/" + w + "/earnings", api.engine()).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/worlds/" + w + "/earnings", null).status()).isEqualTo(401);
        var missing = api.get("/api/v1/worlds/no-such-world-" + w + "/earnings", api.admin());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asText()).isEqualTo("unknown_world");
    }

    private static Map<GroupKey, Long> mine(List<PaidOut> paid, String world) {
        return paid.stream().filter(p -> p.worldId().equals(world)).collect(Collectors.toMap(
                p -> new GroupKey(p.ownerId(), p.worldId(), p.day()), PaidOut::amountMillicredits));
    }

    private static Map<GroupKey, Long> only(Map<GroupKey, Long> expected, LocalDate... days) {
        Set<LocalDate> wanted = Set.of(days);
        return expected.entrySet().stream().filter(e -> wanted.contains(e.getKey().day()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
