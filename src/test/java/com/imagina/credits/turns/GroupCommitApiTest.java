package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import com.imagina.credits.system.db.GroupCommit;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Group commit ({@link GroupCommit}) answers exactly as one call at a time, through real HTTP on the
 * real database.
 *
 * <p>The comparison: the same seeded random operations (authorize, replay, conflicting replay, settle,
 * settle replay, void, on three accounts with small balances, a daily cap, free turns, journeys claimed
 * inside a batch, several calls on one turn id in one batch) are played twice on accounts of their own:
 * once as batches — the batcher kept busy by a call of the test while a round's calls queue one after the
 * other (the queue's length is read to know each has arrived), the test's calls holding every place in
 * flight, then let go, so that the round is applied
 * as one batch in a known order — and once one call at a time, in the order the batch applied them (its
 * stable sort by account id). Every answer (status, code, amounts, body) and the books (every account's
 * balances and free turns, every ledger entry, reconciliation) must be the same.
 *
 * <p>{@code max-wait} is an hour here: the rounds are formed by holding every place in flight, which the
 * overdue start (a queued call that waited 50 ms starts its batch anyway) would otherwise cut short.
 */
@TestPropertySource(properties = {"credits.turns.batch.enabled=true", "credits.turns.batch.max-wait=1h"})
@DirtiesContext // a context of its own, used by no other class: closed after it, so its pool's connections go
class GroupCommitApiTest extends ApiTest {
    @Autowired
    GroupCommit groupCommit;

    @Autowired
    MeterRegistry registry;

    private record Op(String kind, int account, int turn, String model, int journey, int tokens) {
        boolean authorizes() {
            return kind.startsWith("auth") || kind.equals("replay") || kind.equals("conflict");
        }
    }

    @Test
    void batchesAnswerExactlyAsOneAtATime() throws Exception {
        for (long seed : new long[] {1, 2, 3}) {
            List<List<Op>> rounds = rounds(new Random(seed));
            String uid = UUID.randomUUID().toString().substring(0, 6);
            String batched = "gcb" + uid;
            String alone = "gca" + uid;
            setUp(batched);
            setUp(alone);
            List<String> batchedAnswers = new ArrayList<>();
            List<String> aloneAnswers = new ArrayList<>();
            for (List<Op> round : rounds) {
                List<Op> order = applied(batched, round); // read before the round: the keys as they queue
                List<String> answers = asOneBatch(batched, round);
                for (Op op : order) {
                    batchedAnswers.add(op + " " + answers.get(round.indexOf(op)));
                    aloneAnswers.add(op + " " + normalize(call(alone, op), alone));
                }
            }
            assertThat(batchedAnswers).as("seed " + seed).containsExactlyElementsOf(aloneAnswers);
            assertThat(batchedAnswers.stream().map(a -> a.substring(a.lastIndexOf(']') + 2, a.lastIndexOf(']') + 5))
                    .distinct().count()).as("statuses answered: " + batchedAnswers).isGreaterThanOrEqualTo(3);
            assertThat(books(batched)).as("seed " + seed).isEqualTo(books(alone));
        }
        assertReconciled();
        DistributionSummary sizes = registry.get("credits.turns.batch.size").summary();
        assertThat(sizes.max()).isGreaterThan(1);
    }

    @Test
    void concurrentCallsFormBatchesAndTheBooksBalance() throws Exception {
        String w = id("w");
        assertThat(api.put("/api/v1/worlds/" + w, api.engine(), Map.of("ownerId", id("owner"), "title", "W",
                "published", true)).status()).isEqualTo(200);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String acct = id("u");
            adjust(acct, 200_000);
            accounts.add(acct);
        }
        double before = batchedCalls();
        ExecutorService pool = Executors.newFixedThreadPool(24);
        CountDownLatch start = new CountDownLatch(1);
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < 24; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 8; i++) {
                    String acct = accounts.get((client + i) % accounts.size());
                    String t = id("t");
                    Api.Response a = api.post("/api/v1/turns", api.engine(), Map.of("turnId", t, "accountId", acct,
                            "journeyId", "j-" + acct, "worldId", w, "modelId", TurnsApiTest.OPUS,
                            "maxOutputTokens", 100, "expectedInputTokens", 100));
                    if (a.status() >= 500) failures.add(a.toString());
                    if (a.status() != 201) continue;
                    Api.Response closed = i % 3 == 0
                            ? api.post("/api/v1/turns/" + t + "/void", api.engine(), Map.of())
                            : api.post("/api/v1/turns/" + t + "/settle", api.engine(),
                                    Map.of("usage", Map.of("inputTokens", 100, "outputTokens", 50 + i)));
                    if (closed.status() != 200) failures.add(closed.toString());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) f.get(120, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(failures).isEmpty();
        assertThat(batchedCalls() - before).as("calls committed in batches of more than one").isGreaterThan(0);
        var metric = api.get("/actuator/metrics/credits.turns.batch.size", api.admin());
        assertThat(metric.status()).as(metric.toString()).isEqualTo(200);
        assertThat(metric.json().at("/measurements").toString()).contains("TOTAL");
        for (String acct : accounts) {
            var a = account(acct);
            long charged = jdbc.sql("select coalesce(sum(amount_millicredits), 0) from ledger_entries"
                    + " where account_id = :a and turn_id is not null").param("a", acct).query(Long.class).single();
            assertThat(a.get("balanceMillicredits").asLong()).isEqualTo(200_000 + charged);
            assertThat(a.get("heldMillicredits").asLong()).isZero();
        }
        assertReconciled();
    }

    /** Calls that were part of a batch of two or more (from the size histogram's buckets). */
    private double batchedCalls() {
        DistributionSummary sizes = registry.get("credits.turns.batch.size").summary();
        double alone = 0;
        for (CountAtBucket b : sizes.takeSnapshot().histogramCounts()) {
            if (b.bucket() == 1) alone = b.count();
        }
        return sizes.count() - alone;
    }

    private static List<List<Op>> rounds(Random random) {
        String[] kinds = {"auth", "auth", "auth", "replay", "conflict", "settle", "settle", "settleAgain", "void",
                "void"};
        List<List<Op>> rounds = new ArrayList<>();
        List<Op> authorized = new ArrayList<>();
        Map<Integer, Op> settles = new HashMap<>();
        int turns = 0;
        for (int r = 0; r < 7; r++) {
            List<Op> round = new ArrayList<>();
            int size = 2 + random.nextInt(10);
            for (int i = 0; i < size; i++) {
                String kind = authorized.isEmpty() ? "auth" : kinds[random.nextInt(kinds.length)];
                Op op = switch (kind) {
                    case "auth" -> {
                        Op a = new Op("auth", random.nextInt(3), turns++, random.nextBoolean() ? TurnsApiTest.OPUS
                                : TurnsApiTest.SONNET, random.nextInt(4), 0);
                        authorized.add(a);
                        yield a;
                    }
                    case "replay", "conflict" -> {
                        Op a = authorized.get(random.nextInt(authorized.size()));
                        yield new Op(kind, a.account(), a.turn(), a.model(), a.journey(), 0);
                    }
                    case "settleAgain" -> {
                        if (settles.isEmpty()) {
                            yield new Op("void", 0, authorized.get(random.nextInt(authorized.size())).turn(), null, 0, 0);
                        }
                        List<Op> done = new ArrayList<>(settles.values());
                        Op s = done.get(random.nextInt(done.size()));
                        yield random.nextBoolean() ? s : new Op("settle", 0, s.turn(), null, 0, s.tokens() + 1);
                    }
                    case "settle" -> {
                        Op s = new Op("settle", 0, authorized.get(random.nextInt(authorized.size())).turn(), null, 0,
                                random.nextInt(400));
                        settles.put(s.turn(), s);
                        yield s;
                    }
                    default -> new Op("void", 0, authorized.get(random.nextInt(authorized.size())).turn(), null, 0, 0);
                };
                if (!round.contains(op)) round.add(op); // an op twice in a round: its answer is not one slot
            }
            rounds.add(round);
        }
        return rounds;
    }

    private void setUp(String prefix) {
        assertThat(api.put("/api/v1/worlds/" + prefix + "-w", api.engine(), Map.of("ownerId", prefix + "-owner",
                "title", "W", "published", true)).status()).isEqualTo(200);
        adjust(prefix + "-acct0", 40_000);
        adjust(prefix + "-acct1", 25_000);
        adjust(prefix + "-acct2", 12_000);
        var limit = api.put("/api/v1/accounts/" + prefix + "-acct0/limits", api.player(prefix + "-acct0"),
                Map.of("dailySpendLimitMillicredits", 30_000));
        assertThat(limit.status()).as(limit.toString()).isEqualTo(200);
    }

    /** The round's calls queued behind a call of the test, in this order, then applied as one batch. */
    private List<String> asOneBatch(String prefix, List<Op> round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(round.size() + groupCommit.inFlightLimit());
        try {
            int slots = groupCommit.inFlightLimit();
            CountDownLatch holding = new CountDownLatch(slots);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<?>> blockers = new ArrayList<>();
            for (int i = 0; i < slots; i++) {
                blockers.add(pool.submit(() -> groupCommit.run(() -> null, () -> {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                })));
            }
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                Op op = round.get(i);
                answers.add(pool.submit(() -> normalize(call(prefix, op), prefix)));
                waitForQueued(i + 1);
            }
            release.countDown();
            for (Future<?> b : blockers) b.get(10, TimeUnit.SECONDS);
            List<String> out = new ArrayList<>();
            for (Future<String> f : answers) out.add(f.get(30, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private void waitForQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (groupCommit.queued() < n) {
            assertThat(System.nanoTime()).as("call %d never queued", n).isLessThan(deadline);
            Thread.onSpinWait();
            Thread.sleep(1); // polling the queue's length, not standing in for it
        }
    }

    /** The order the batch applies the round in: its stable sort by the calls' keys, keyless first. */
    private List<Op> applied(String prefix, List<Op> round) {
        Map<Op, String> keys = new HashMap<>();
        for (Op op : round) {
            keys.put(op, op.authorizes() ? prefix + "-acct" + op.account()
                    : jdbc.sql("select account_id from turns where turn_id = :t").param("t", prefix + "-t" + op.turn())
                            .query(String.class).optional().orElse(null));
        }
        List<Op> order = new ArrayList<>(round);
        order.sort(Comparator.comparing(keys::get, Comparator.nullsFirst(Comparator.naturalOrder())));
        return order;
    }

    private Api.Response call(String prefix, Op op) {
        String turnId = prefix + "-t" + op.turn();
        return switch (op.kind()) {
            case "auth", "replay", "conflict" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("turnId", turnId);
                body.put("accountId", prefix + "-acct" + op.account());
                body.put("journeyId", prefix + "-j" + op.account() + "-" + op.journey());
                body.put("worldId", prefix + "-w");
                body.put("modelId", op.model());
                body.put("maxOutputTokens", op.kind().equals("conflict") ? 101 : 100);
                body.put("expectedInputTokens", 100);
                yield api.post("/api/v1/turns", api.engine(), body);
            }
            case "settle" -> api.post("/api/v1/turns/" + turnId + "/settle", api.engine(),
                    Map.of("usage", Map.of("inputTokens", 100, "outputTokens", op.tokens())));
            default -> api.post("/api/v1/turns/" + turnId + "/void", api.engine(), Map.of());
        };
    }

    private static String normalize(Api.Response r, String prefix) {
        return r.status() + " " + r.body().replace(prefix, "P")
                .replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z", "T");
    }

    private List<String> books(String prefix) {
        List<String> books = new ArrayList<>();
        for (String acct : List.of("-acct0", "-acct1", "-acct2", "-owner")) {
            var r = api.get("/api/v1/accounts/" + prefix + acct, api.admin());
            books.add(normalize(r, prefix));
            books.addAll(jdbc.sql("""
                    select type || ' ' || amount_millicredits || ' ' || coalesce(full_cost_millicredits, -1) || ' '
                           || balance_after_millicredits || ' ' || coalesce(turn_id, '-') || ' ' || description
                      from ledger_entries where account_id = :a order by entry_id""")
                    .param("a", prefix + acct).query(String.class).list().stream()
                    .map(s -> s.replace(prefix, "P")).toList());
        }
        books.addAll(jdbc.sql("""
                select turn_id || ' ' || status || ' ' || funded_by || ' ' || hold_millicredits
                  from turns where turn_id like :p order by turn_id""")
                .param("p", prefix + "-%").query(String.class).list().stream().map(s -> s.replace(prefix, "P"))
                .toList());
        return books;
    }
}
