package com.imagina.credits.payouts;

import static com.imagina.credits.payouts.Plays.PAID_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.payouts.GroupPayer.PaidOut;
import com.imagina.credits.payouts.Plays.GroupKey;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A payout never pays a charge twice and never skips one: crashes, failures, racing runners, late charges. */
class PayoutExactlyOnceApiTest extends PayoutApiTestBase {
    static final long FUNDS = 50_000_000;

    /** Three owners' worlds (owner ids sort a < b < c, the order a run pays them in) with paid plays on {@code day}. */
    private List<String> threeWorldsPlayedOn(LocalDate day) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String p1 = Plays.newId("p"), p2 = Plays.newId("p");
        setClock(at(day, "10:00:00"));
        adjust(p1, FUNDS);
        adjust(p2, FUNDS);
        List<String> worlds = new ArrayList<>();
        for (String owner : List.of("a-" + suffix, "b-" + suffix, "c-" + suffix)) {
            String w = plays.world(owner, true);
            plays.play(p1, w, PAID_MODEL, 1_000 + worlds.size() * 7, 13, 111);
            plays.play(p1, w, PAID_MODEL, 777, 3, 50);
            plays.play(p2, w, PAID_MODEL, 1_234, 1, 99);
            worlds.add(w);
        }
        return worlds;
    }

    private void assertAllPaidOnce(List<String> worlds) {
        for (String w : worlds) {
            assertThat(ledgerRevenueShare(w)).as(w).isEqualTo(plays.expectedShareOf(w));
            assertThat(revenueShareEntries(w)).as(w).isEqualTo(1);
            assertThat(unpaidEligible(w)).as(w).isZero();
        }
        assertReconciled();
    }

    @Test
    void aRunStoppedBetweenOwnersIsFinishedByTheRetryWithoutPayingAnyoneTwice() {
        LocalDate day = LocalDate.parse("2031-06-03");
        List<String> worlds = threeWorldsPlayedOn(day);
        String wa = worlds.get(0), wb = worlds.get(1), wc = worlds.get(2);
        setClock(at(day.plusDays(1), "01:00:00"));

        run.afterGroupCommitted = paid -> {
            if (paid.worldId().equals(wb)) throw new IllegalStateException("simulated crash after paying " + wb);
        };
        assertThatThrownBy(() -> run.payThrough(day)).hasMessageContaining("simulated crash");
        run.afterGroupCommitted = paid -> {};

        // a and b committed before the "crash"; c was never reached.
        assertThat(ledgerRevenueShare(wa)).isEqualTo(plays.expectedShareOf(wa));
        assertThat(ledgerRevenueShare(wb)).isEqualTo(plays.expectedShareOf(wb));
        assertThat(ledgerRevenueShare(wc)).isZero();
        assertThat(unpaidEligible(wc)).isEqualTo(3);
        assertThat(earnings(wc, api.admin()).get("pendingMillicredits").asLong()).isEqualTo(plays.expectedShareOf(wc));
        assertReconciled();

        JsonNode retry = payThroughOk(day);
        assertThat(Plays.linesFor(retry, Set.copyOf(worlds)))
                .isEqualTo(Map.of(new GroupKey(plays.plays.get(6).ownerId(), wc, day), plays.expectedShareOf(wc)));
        assertAllPaidOnce(worlds);
    }

    @Test
    void aGroupWhoseTransactionFailsIsRolledBackWholeAndPaidOnceByTheRetry() {
        LocalDate day = LocalDate.parse("2031-06-13");
        List<String> worlds = threeWorldsPlayedOn(day);
        String failing = worlds.get(1);
        String owner = plays.plays.get(3).ownerId();
        setClock(at(day.plusDays(1), "00:10:00"));
        String fn = "fail_payout_" + UUID.randomUUID().toString().replace("-", "");
        // Fails the group after its revenue_share entry was posted: that entry must roll back with it.
        jdbc.sql("create function " + fn + "() returns trigger language plpgsql as $$ begin"
                + " if new.world_id = '" + failing + "' then raise exception 'simulated failure'; end if;"
                + " return new; end $$").update();
        jdbc.sql("create trigger " + fn + " before insert on revenue_share_payouts for each row execute function "
                + fn + "()").update();
        try {
            var r = payThrough(day);
            assertThat(r.status()).as(r.toString()).isEqualTo(500);
            assertThat(r.json().get("code").asText()).isEqualTo("payout_incomplete");
            assertThat(r.json().get("failedGroups").findValuesAsText("worldId")).contains(failing);
            assertThat(Plays.linesFor(r.json(), Set.copyOf(worlds)).keySet()).extracting(GroupKey::worldId)
                    .containsExactlyInAnyOrder(worlds.get(0), worlds.get(2));
            assertThat(ledgerRevenueShare(failing)).isZero();
            assertThat(balance(owner)).isZero();
            assertThat(unpaidEligible(failing)).isEqualTo(3);
        } finally {
            jdbc.sql("drop trigger " + fn + " on revenue_share_payouts").update();
            jdbc.sql("drop function " + fn + "()").update();
        }
        assertReconciled();

        JsonNode retry = payThroughOk(day);
        assertThat(Plays.linesFor(retry, Set.copyOf(worlds)))
                .isEqualTo(Map.of(new GroupKey(owner, failing, day), plays.expectedShareOf(failing)));
        assertThat(balance(owner)).isEqualTo(plays.expectedShareOf(failing));
        assertAllPaidOnce(worlds);
    }

    @Test
    void runnersRacingWithoutTheRunLockStillPayEachChargeExactlyOnce() throws Exception {
        LocalDate day = LocalDate.parse("2031-07-08");
        List<String> worlds = threeWorldsPlayedOn(day);
        setClock(at(day.plusDays(1), "00:10:00"));
        int runners = 4;
        ExecutorService pool = Executors.newFixedThreadPool(runners);
        List<PayoutRun.Result> results = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<PayoutRun.Result>> futures = new ArrayList<>();
            for (int i = 0; i < runners; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return run.payUnlocked(day);
                }));
            }
            start.countDown();
            for (Future<PayoutRun.Result> f : futures) results.add(f.get());
        } finally {
            pool.shutdownNow();
        }
        Map<GroupKey, Long> paid = new HashMap<>();
        for (PayoutRun.Result result : results) {
            assertThat(result.failed()).isEmpty();
            for (PaidOut p : result.paid()) {
                if (!worlds.contains(p.worldId())) continue;
                GroupKey key = new GroupKey(p.ownerId(), p.worldId(), p.day());
                assertThat(paid.put(key, p.amountMillicredits())).as("paid twice: " + key).isNull();
                assertThat(p.batch()).isEqualTo(1);
            }
        }
        assertThat(paid).isEqualTo(plays.expectedPayouts());
        assertAllPaidOnce(worlds);
    }

    @Test
    void aChargeSettledIntoAnAlreadyPaidDayIsPaidLaterAsASecondBatch() {
        LocalDate day = LocalDate.parse("2031-08-05");
        String owner = Plays.newId("o"), player = Plays.newId("p");
        setClock(at(day, "10:00:00"));
        adjust(player, FUNDS);
        String w = plays.world(owner, true);
        long first = plays.play(player, w, PAID_MODEL, 1_003, 7, 101).charged()
                + plays.play(player, w, PAID_MODEL, 2_001, 9, 33).charged();
        setClock(at(day.plusDays(1), "00:10:00"));
        GroupKey key = new GroupKey(owner, w, day);
        assertThat(Plays.linesFor(payThroughOk(day), Set.of(w))).isEqualTo(Map.of(key, Plays.share(first)));

        // A settlement that commits after its day was paid (here: the clock moved back).
        setClock(at(day, "18:00:00"));
        long late = plays.play(player, w, PAID_MODEL, 999, 5, 77).charged();
        JsonNode before = earnings(w, api.player(owner));
        assertThat(before.get("earnedMillicredits").asLong()).isEqualTo(Plays.share(first));
        assertThat(before.get("pendingMillicredits").asLong()).isEqualTo(Plays.share(late));
        assertThat(before.at("/days/0/shareMillicredits").asLong()).isEqualTo(Plays.share(first) + Plays.share(late));
        assertThat(before.at("/days/0/paidPlays").asLong()).isEqualTo(3);
        assertThat(before.at("/days/0/paidOut").asBoolean()).isFalse();

        setClock(at(day.plusDays(1), "00:20:00"));
        JsonNode second = payThroughOk(day);
        assertThat(Plays.linesFor(second, Set.of(w))).isEqualTo(Map.of(key, Plays.share(late)));
        assertThat(second.findValues("batch").stream().anyMatch(b -> b.asInt() == 2)).isTrue();
        assertThat(jdbc.sql("select entry_key from ledger_entries where type = 'revenue_share' and world_id = :w"
                + " order by entry_id").param("w", w).query(String.class).list())
                .containsExactly("revenue_share:" + w + ":" + day + ":" + owner,
                        "revenue_share:" + w + ":" + day + ":" + owner + ":2");
        JsonNode after = earnings(w, api.player(owner));
        assertThat(after.get("earnedMillicredits").asLong()).isEqualTo(Plays.share(first) + Plays.share(late));
        assertThat(after.get("pendingMillicredits").asLong()).isZero();
        assertThat(after.at("/days/0/paidOut").asBoolean()).isTrue();
        assertThat(balance(owner)).isEqualTo(Plays.share(first) + Plays.share(late));
        assertReconciled();
    }
}
