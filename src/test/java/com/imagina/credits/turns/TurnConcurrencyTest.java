package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import com.imagina.credits.support.OtherInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Many game servers at once, often on one account, across two service instances on one database:
 * the balance, the daily cap and the last free turns are each given out exactly as far as they go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TurnConcurrencyTest extends ApiTest {
    private static final int THREADS = 32;

    @Autowired
    ApplicationContext context;

    private OtherInstance other;

    @BeforeAll
    void startOtherInstance() {
        other = OtherInstance.shared(context);
    }


    /** Fires all calls at once (a latch opens together), alternating between the two instances. */
    private List<Api.Response> race(int calls, java.util.function.BiFunction<Api, Integer, Api.Response> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Api.Response>> tasks = new ArrayList<>();
        Api second = other.api();
        for (int i = 0; i < calls; i++) {
            int n = i;
            Api target = n % 2 == 0 ? api : second;
            tasks.add(() -> {
                start.await();
                return call.apply(target, n);
            });
        }
        List<Future<Api.Response>> futures = new ArrayList<>();
        for (Callable<Api.Response> t : tasks) futures.add(pool.submit(t));
        start.countDown();
        List<Api.Response> out = new ArrayList<>();
        for (Future<Api.Response> f : futures) out.add(f.get());
        pool.shutdown();
        return out;
    }

    private static Map<String, Object> turn(String turnId, String acct, String world, String model) {
        return Map.of("turnId", turnId, "accountId", acct, "journeyId", "j-" + turnId, "worldId", world,
                "modelId", model, "maxOutputTokens", 100, "expectedInputTokens", 100);
    }

    private static long count(List<Api.Response> responses, int status) {
        return responses.stream().filter(r -> r.status() == status).count();
    }

    @Test
    void balanceForNHoldsGivesExactlyNHolds() throws Exception {
        String acct = id("u");
        String w = world(id("owner"), true);
        long hold = 9_000; // Opus: 100 × $15/M + 100 × $75/M
        adjust(acct, 10 * hold + hold - 1);
        List<Api.Response> responses = race(96, (target, n) ->
                target.post("/api/v1/turns", target.engine(), turn(id("t"), acct, w, TurnsApiTest.OPUS)));
        assertThat(count(responses, 201)).isEqualTo(10);
        assertThat(count(responses, 402)).isEqualTo(86);
        JsonNode a = account(acct);
        assertThat(a.get("heldMillicredits").asLong()).isEqualTo(10 * hold);
        assertThat(a.get("availableMillicredits").asLong()).isEqualTo(hold - 1);
        assertReconciled();
    }

    @Test
    void theLastFreeTurnsAreTakenExactlyOnce() throws Exception {
        String acct = id("u");
        String w = world(id("owner"), true);
        List<Api.Response> responses = race(64, (target, n) ->
                target.post("/api/v1/turns", target.engine(), turn(id("t"), acct, w, TurnsApiTest.SONNET)));
        assertThat(count(responses, 201)).isEqualTo(5);
        assertThat(count(responses, 402)).isEqualTo(59);
        assertThat(responses.stream().filter(r -> r.status() == 201)
                .allMatch(r -> r.json().get("fundedBy").asText().equals("free_turn"))).isTrue();
        assertThat(account(acct).at("/freeTurns/remaining").asInt()).isZero();
        assertReconciled();
    }

    @Test
    void theDailyCapCannotBeSlippedPast() throws Exception {
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 10_000_000);
        var limit = api.put("/api/v1/accounts/" + acct + "/limits", api.player(acct),
                Map.of("dailySpendLimitMillicredits", 7 * 9_000 + 5_000));
        assertThat(limit.status()).as(limit.toString()).isEqualTo(200);
        List<Api.Response> responses = race(50, (target, n) ->
                target.post("/api/v1/turns", target.engine(), turn(id("t"), acct, w, TurnsApiTest.OPUS)));
        assertThat(count(responses, 201)).isEqualTo(7);
        assertThat(count(responses, 402)).isEqualTo(43);
        Api.Response refused = responses.stream().filter(r -> r.status() == 402).findFirst().orElseThrow();
        assertThat(refused.json().get("code").asText()).isEqualTo("spend_limit_reached");
        assertThat(refused.json().get("limitMillicredits").asLong()).isEqualTo(68_000);
        assertThat(refused.json().get("requiredMillicredits").asLong()).isEqualTo(9_000);
        assertThat(refused.json().at("/suggestedModel/id").asText()).isEqualTo(TurnsApiTest.SONNET);
        assertThat(account(acct).get("heldMillicredits").asLong()).isEqualTo(63_000);
        assertReconciled();
    }

    @Test
    void concurrentSettlesAndVoidsOfOneTurnApplyOnce() throws Exception {
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 1_000_000);
        String t = id("t");
        assertThat(api.post("/api/v1/turns", api.engine(), turn(t, acct, w, TurnsApiTest.OPUS)).status())
                .isEqualTo(201);
        Map<String, Object> usage = Map.of("usage", Map.of("inputTokens", 100, "outputTokens", 100));
        List<Api.Response> responses = race(40, (target, n) -> n % 4 == 3
                ? target.post("/api/v1/turns/" + t + "/void", target.engine(), Map.of())
                : target.post("/api/v1/turns/" + t + "/settle", target.engine(), usage));
        long settled = responses.stream().filter(r -> r.status() == 200 && r.json().path("status").asText()
                .equals("settled")).count();
        long voided = responses.stream().filter(r -> r.status() == 200 && r.json().path("status").asText()
                .equals("voided")).count();
        assertThat(settled + count(responses, 409)).isEqualTo(40 - voided);
        assertThat(settled == 0 || voided == 0).isTrue();
        long entries = jdbc.sql("select count(*) from ledger_entries where turn_id = :t").param("t", t)
                .query(Long.class).single();
        assertThat(entries).isEqualTo(settled > 0 ? 1 : 0);
        assertThat(balance(acct)).isEqualTo(settled > 0 ? 1_000_000 - 9_000 : 1_000_000);
        assertReconciled();
    }

    @Test
    void theSameTurnIdRacingIsAuthorizedOnce() throws Exception {
        String acct = id("u");
        String w = world(id("owner"), true);
        adjust(acct, 1_000_000);
        String t = id("t");
        List<Api.Response> responses = race(32, (target, n) ->
                target.post("/api/v1/turns", target.engine(), turn(t, acct, w, TurnsApiTest.OPUS)));
        assertThat(count(responses, 201)).isEqualTo(32);
        assertThat(responses.stream().map(r -> r.json().toString()).distinct().count()).isEqualTo(1);
        assertThat(account(acct).get("heldMillicredits").asLong()).isEqualTo(9_000);
        assertReconciled();
    }
}
