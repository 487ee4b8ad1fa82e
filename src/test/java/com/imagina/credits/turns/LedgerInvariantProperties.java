package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.StandaloneApp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random sequences of authorize / settle / void / expire / adjust through the real API keep the
 * ledger's invariants: balance = sum of entries, held = sum of open holds (reconciliation), and both
 * agree with a model the test keeps from the answers it got.
 */
class LedgerInvariantProperties {
    private static Instant clock = Instant.parse("2032-01-01T08:00:00Z");

    private Api api;

    sealed interface Op permits Authorize, Settle, Void, Expire, Adjust {}

    record Authorize(int account, boolean creditsOnly, long maxOut, long expectedIn) implements Op {}

    record Settle(int pick, long input, long cacheRead, long output) implements Op {}

    record Void(int pick) implements Op {}

    record Expire() implements Op {}

    record Adjust(int account, long amount) implements Op {}

    @BeforeProperty
    void connect() {
        api = StandaloneApp.api();
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> authorize = Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.of(true, false),
                Arbitraries.longs().between(0, 3_000), Arbitraries.longs().between(0, 20_000)).as(Authorize::new);
        Arbitrary<Op> settle = Combinators.combine(Arbitraries.integers().between(0, 50),
                Arbitraries.longs().between(0, 30_000), Arbitraries.longs().between(0, 10_000),
                Arbitraries.longs().between(0, 4_000)).as(Settle::new);
        Arbitrary<Op> voidOp = Arbitraries.integers().between(0, 50).map(Void::new);
        Arbitrary<Op> expire = Arbitraries.just(new Expire());
        Arbitrary<Op> adjust = Combinators.combine(Arbitraries.integers().between(0, 1),
                Arbitraries.longs().between(-50_000, 400_000).filter(a -> a != 0)).as(Adjust::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, authorize), net.jqwik.api.Tuple.of(4, settle),
                net.jqwik.api.Tuple.of(1, voidOp), net.jqwik.api.Tuple.of(1, expire),
                net.jqwik.api.Tuple.of(2, adjust)).list().ofMinSize(5).ofMaxSize(30);
    }

    @Property(tries = 25, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void invariantsHold(@ForAll("operations") List<Op> ops) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] accounts = {"p-" + run + "-a", "p-" + run + "-b"};
        String world = "pw-" + run;
        clock = clock.plusSeconds(86_400);
        setClock(clock);
        assertThat(api.put("/api/v1/worlds/" + world, api.engine(),
                Map.of("ownerId", "owner-" + run, "title", "Props", "published", true)).status()).isEqualTo(200);
        Map<String, Long> balance = new HashMap<>(Map.of(accounts[0], 0L, accounts[1], 0L));
        Map<String, Long> openHolds = new HashMap<>(); // turnId -> hold
        Map<String, String> turnAccount = new HashMap<>();
        List<String> open = new ArrayList<>();
        int n = 0;
        for (Op op : ops) {
            n++;
            if (op instanceof Authorize a) {
                    String acct = accounts[a.account()];
                    String turnId = "pt-" + run + "-" + n;
                    var r = api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", acct,
                            "journeyId", "pj-" + run + "-" + a.account(), "worldId", world,
                            "modelId", a.creditsOnly() ? TurnsApiTest.OPUS : TurnsApiTest.SONNET,
                            "maxOutputTokens", a.maxOut(), "expectedInputTokens", a.expectedIn()));
                    assertThat(r.status()).as(r.toString()).isIn(201, 402);
                    if (r.status() == 201) {
                        openHolds.put(turnId, r.json().get("holdMillicredits").asLong());
                        turnAccount.put(turnId, acct);
                        open.add(turnId);
                    }
            } else if (op instanceof Settle s) {
                    if (open.isEmpty()) continue;
                    String turnId = open.remove(s.pick() % open.size());
                    var r = api.post("/api/v1/turns/" + turnId + "/settle", api.engine(), Map.of("usage",
                            Map.of("inputTokens", s.input(), "cacheReadTokens", s.cacheRead(), "outputTokens", s.output())));
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    long hold = openHolds.remove(turnId);
                    String owner = turnAccount.get(turnId);
                    long otherHolds = openHolds.entrySet().stream().filter(e -> turnAccount.get(e.getKey()).equals(owner))
                            .mapToLong(Map.Entry::getValue).sum();
                    long cost = r.json().get("costMillicredits").asLong();
                    long charged = r.json().get("chargedMillicredits").asLong();
                    if (r.json().get("fundedBy").asText().equals("free_turn")) {
                        assertThat(charged).isZero();
                        assertThat(r.json().get("uncollectedMillicredits").asLong()).isZero();
                    } else {
                        // Prepaid: the hold plus what is available beyond it (no overdraft), never below 0.
                        assertThat(charged).as("collected of " + cost + " with hold " + hold)
                                .isEqualTo(Math.min(cost, Math.max(0, balance.get(owner) - otherHolds)));
                        assertThat(charged + r.json().get("uncollectedMillicredits").asLong()).isEqualTo(cost);
                    }
                    balance.merge(turnAccount.get(turnId), -r.json().get("chargedMillicredits").asLong(), Long::sum);
                    assertThat(r.json().get("balanceMillicredits").asLong()).isEqualTo(balance.get(turnAccount.get(turnId)));
            } else if (op instanceof Void v) {
                    if (open.isEmpty()) continue;
                    String turnId = open.remove(v.pick() % open.size());
                    var r = api.post("/api/v1/turns/" + turnId + "/void", api.engine(), Map.of());
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    openHolds.remove(turnId);
            } else if (op instanceof Expire e) {
                    clock = clock.plusSeconds(601);
                    setClock(clock);
                    for (String turnId : open) openHolds.remove(turnId);
                    open.clear();
            } else if (op instanceof Adjust a) {
                    String acct = accounts[a.account()];
                    var r = api.post("/api/v1/admin/adjustments", api.admin(), Map.of("adjustmentId",
                            "pa-" + run + "-" + n, "accountId", acct, "amountMillicredits", a.amount(), "reason", "prop"));
                    assertThat(r.status()).as(r.toString()).isEqualTo(201);
                    balance.merge(acct, a.amount(), Long::sum);
            }
        }
        for (String acct : accounts) {
            JsonNode view = api.get("/api/v1/accounts/" + acct, api.admin()).json();
            long held = openHolds.entrySet().stream().filter(e -> turnAccount.get(e.getKey()).equals(acct))
                    .mapToLong(Map.Entry::getValue).sum();
            assertThat(view.get("balanceMillicredits").asLong()).isEqualTo(balance.get(acct));
            assertThat(view.get("heldMillicredits").asLong()).isEqualTo(held);
            assertThat(view.get("availableMillicredits").asLong()).isEqualTo(balance.get(acct) - held);
        }
        JsonNode report = api.get("/api/v1/admin/reconciliation", api.admin()).json();
        assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
    }

    private void setClock(Instant now) {
        var r = api.post("/api/v1/admin/clock", api.admin(), Map.of("now", now.toString()));
        assertThat(r.status()).isEqualTo(200);
    }
}
