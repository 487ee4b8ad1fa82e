package com.imagina.credits.payouts;

import static com.imagina.credits.payouts.Plays.FREE_ELIGIBLE_MODEL;
import static com.imagina.credits.payouts.Plays.PAID_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.payouts.Plays.GroupKey;
import com.imagina.credits.support.Api;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Four days of play in four worlds of two owners, on the adjustable clock: paid plays, free turns, an
 * owner's own plays, authoring, a voided turn, an unpublished world and one unpublished (then
 * republished) midway, a turn settled just after midnight, and a day with no activity. Every payout,
 * the ledger and the earnings pages are checked against the test's own model of the rule.
 */
class PayoutScenarioApiTest extends PayoutApiTestBase {
    static final LocalDate D1 = LocalDate.parse("2031-04-07");
    static final LocalDate D2 = D1.plusDays(1); // only a turn authorized before midnight, settled after
    static final LocalDate D3 = D1.plusDays(2); // no activity at all
    static final LocalDate D4 = D1.plusDays(3);
    static final long FUNDS = 100_000_000;

    @Test
    void multiDayPayoutPaysEachOwnerWorldAndDayOnceAndAgreesWithEarningsAndLedger() throws Exception {
        String o1 = Plays.newId("owner1"), o2 = Plays.newId("owner2");
        String p1 = Plays.newId("p1"), p2 = Plays.newId("p2"), p3 = Plays.newId("p3");
        setClock(at(D1, "08:00:00"));
        for (String account : List.of(o1, o2, p1, p2, p3)) adjust(account, FUNDS);
        String w1 = plays.world(o1, true), w2 = plays.world(o1, true);
        String w3 = plays.world(o2, true), w4 = plays.world(o2, false);
        Set<String> mine = Set.of(w1, w2, w3, w4);

        setClock(at(D1, "10:00:00"));
        plays.authoring(o1, w1, 2_000, 800);
        plays.authoring(o1, w1, 1_500, 650);
        plays.authoring(p1, w1, 500, 100); // someone else's authoring: not the owner's cost, earns nothing
        plays.play(p1, w1, PAID_MODEL, 1_000, 333, 200);
        plays.play(p1, w1, PAID_MODEL, 1_200, 0, 250);
        plays.play(p1, w1, PAID_MODEL, 800, 777, 100);
        plays.play(p2, w1, PAID_MODEL, 900, 101, 150);
        plays.play(o1, w1, PAID_MODEL, 1_000, 0, 100); // the owner's own play
        assertThat(plays.play(p3, w1, FREE_ELIGIBLE_MODEL, 3_000, 0, 300).fundedBy()).isEqualTo("free_turn");
        assertThat(plays.play(p3, w1, FREE_ELIGIBLE_MODEL, 2_000, 0, 200).fundedBy()).isEqualTo("free_turn");
        plays.play(p1, w2, PAID_MODEL, 1_500, 55, 300);
        plays.play(o1, w3, PAID_MODEL, 700, 3, 90); // an owner playing someone else's world earns that owner
        plays.play(p2, w3, PAID_MODEL, 1_100, 11, 120);
        plays.play(p1, w4, PAID_MODEL, 1_000, 0, 100); // unpublished world
        String voided = plays.authorize(p1, w1, PAID_MODEL, "play", 1_000, 100);
        assertThat(api.post("/api/v1/turns/" + voided + "/void", api.engine(), Map.of()).status()).isEqualTo(200);

        setClock(at(D1, "23:59:58"));
        String straddling = plays.authorize(p2, w3, PAID_MODEL, "play", 1_000, 200);
        setClock(at(D2, "00:00:20"));
        assertThat(plays.settle(straddling, p2, w3, "play", true, 950, 7, 130).day()).isEqualTo(D2);

        setClock(at(D4, "09:00:00"));
        plays.play(p1, w2, PAID_MODEL, 1_000, 1, 100);
        plays.play(p3, w2, PAID_MODEL, 600, 9, 80);
        for (int i = 0; i < 5; i++) {
            assertThat(plays.play(p2, w3, FREE_ELIGIBLE_MODEL, 4_000, 0, 400).fundedBy()).isEqualTo("free_turn");
        }
        Plays.Play sixth = plays.play(p2, w3, FREE_ELIGIBLE_MODEL, 4_321, 17, 433);
        assertThat(sixth.fundedBy()).isEqualTo("credits");
        assertThat(sixth.charged()).isPositive();
        plays.play(p3, w1, PAID_MODEL, 2_000, 1_001, 400);
        setClock(at(D4, "12:00:00"));
        plays.publish(w2, false);
        plays.play(p1, w2, PAID_MODEL, 1_000, 0, 100);
        plays.play(p3, w2, PAID_MODEL, 400, 0, 40);
        setClock(at(D4, "15:00:00"));
        plays.publish(w2, true);
        plays.play(p2, w2, PAID_MODEL, 333, 3, 33);

        Map<GroupKey, Long> expected = plays.expectedPayouts();
        assertThat(expected.keySet()).extracting(GroupKey::day).containsOnly(D1, D2, D4);
        assertThat(expected.keySet()).extracting(GroupKey::worldId).containsOnly(w1, w2, w3);
        assertThat(expected).hasSize(7);

        // Before the run: nothing earned, everything pending, with the payout's rounding.
        setClock(at(D4, "20:00:00"));
        Map<String, Long> pendingBefore = new HashMap<>();
        for (String w : mine) {
            String owner = w.equals(w3) || w.equals(w4) ? o2 : o1;
            JsonNode e = earnings(w, api.player(owner));
            assertEarnings(e, w, 0, plays.expectedShareOf(w), false);
            assertThat(e.get("ownerId").asText()).isEqualTo(owner);
            pendingBefore.put(w, e.get("pendingMillicredits").asLong());
        }
        assertThat(earnings(w4, api.admin()).get("published").asBoolean()).isFalse();
        assertThat(earnings(w1, api.admin()).get("days").findValuesAsText("day")).doesNotContain(D3.toString());

        var notOver = payThrough(D4);
        assertThat(notOver.status()).as(notOver.toString()).isEqualTo(400);
        assertThat(notOver.json().get("code").asText()).isEqualTo("invalid_request");

        // Three runs at once, after D4 is over: one set of payouts between them.
        setClock(at(D4.plusDays(1), "00:30:00"));
        List<JsonNode> answers = concurrently(3, () -> payThrough(D4));
        Map<GroupKey, Long> paid = new HashMap<>();
        int answersWithMine = 0;
        for (JsonNode answer : answers) {
            Map<GroupKey, Long> lines = Plays.linesFor(answer, mine);
            if (!lines.isEmpty()) answersWithMine++;
            for (var line : lines.entrySet()) {
                assertThat(paid.put(line.getKey(), line.getValue())).as("paid twice: " + line.getKey()).isNull();
            }
            assertThat(answer.get("sharePercent").asText()).isEqualTo("20");
        }
        assertThat(answersWithMine).as("the run lock lets one run pay, the others find nothing").isEqualTo(1);
        assertThat(paid).isEqualTo(expected);

        // The ledger: one revenue_share entry per group, to the right owner, and the balances add up.
        for (String w : mine) {
            assertThat(ledgerRevenueShare(w)).isEqualTo(plays.expectedShareOf(w));
            assertThat(revenueShareEntries(w)).isEqualTo(expected.keySet().stream()
                    .filter(k -> k.worldId().equals(w)).count());
            assertThat(unpaidEligible(w)).isZero();
        }
        for (String owner : List.of(o1, o2)) {
            assertThat(balance(owner)).isEqualTo(FUNDS - plays.chargedTo(owner) + plays.sharesTo(owner, mine));
        }
        JsonNode history = api.get("/api/v1/accounts/" + o1 + "/transactions?type=revenue_share", api.player(o1))
                .json().get("items");
        assertThat(history.size()).isEqualTo(expected.keySet().stream().filter(k -> k.ownerId().equals(o1)).count());
        assertThat(history.findValuesAsText("description")).anyMatch(d -> d.contains("\"Title of " + w1 + "\"")
                && d.contains(D1.toString()));

        // Each payout explains itself: exactly the charges the model says it paid.
        Map<GroupKey, List<String>> turnsByGroup = plays.expectedTurnsByGroup();
        for (JsonNode answer : answers) {
            for (JsonNode line : answer.get("payouts")) {
                if (!mine.contains(line.get("worldId").asText())) continue;
                JsonNode detail = api.get("/api/v1/admin/payouts/" + line.get("payoutId").asLong(), api.admin()).json();
                GroupKey key = new GroupKey(line.get("ownerId").asText(), line.get("worldId").asText(),
                        LocalDate.parse(line.get("day").asText()));
                assertThat(detail.get("charges").findValuesAsText("turnId"))
                        .containsExactlyInAnyOrderElementsOf(turnsByGroup.get(key));
                assertThat(detail.get("amountMillicredits").asLong()).isEqualTo(expected.get(key));
                assertThat(detail.get("ledgerEntryId").isNumber()).isTrue();
            }
        }

        // After the run: earned grew by exactly the old pending, nothing is pending, every day is paid out.
        for (String w : mine) {
            String owner = w.equals(w3) || w.equals(w4) ? o2 : o1;
            JsonNode e = earnings(w, api.player(owner));
            assertEarnings(e, w, pendingBefore.get(w), 0, true);
            assertThat(e.get("earnedMillicredits").asLong()).isEqualTo(ledgerRevenueShare(w));
        }

        // Running again pays nothing of ours.
        assertThat(Plays.linesFor(payThroughOk(D4), mine)).isEmpty();
        assertThat(Plays.linesFor(payThroughOk(D3), mine)).isEmpty();
        assertReconciled();
    }

    private List<JsonNode> concurrently(int n, Callable<Api.Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<JsonNode> answers = new ArrayList<>();
            for (Future<Api.Response> f : futures) {
                Api.Response r = f.get();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                answers.add(r.json());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
