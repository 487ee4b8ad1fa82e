package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Settles and voids of many overdue turns of one account, all at once: each expires its own turn under
 * its own lock and answers 409 {@code turn_not_open} — no deadlock between them (which would surface
 * as 503 {@code try_again}), every hold released exactly once.
 */
class OverdueTurnsRaceTest extends ApiTest {
    private static final int TURNS = 24;

    @Test
    void overdueTurnsClosedAtOnceAreEachExpiredOnceWithoutDeadlock() throws Exception {
        Instant start = Instant.parse("2033-05-05T10:00:00Z");
        setClock(start);
        String acct = id("race");
        String world = world(id("owner"), true);
        adjust(acct, 100_000_000);
        List<String> turns = new ArrayList<>();
        for (int i = 0; i < TURNS; i++) {
            String t = id("t");
            var r = api.post("/api/v1/turns", api.engine(), Map.of("turnId", t, "accountId", acct, "journeyId", "j-" + acct,
                    "worldId", world, "modelId", "claude-opus-4-1", "maxOutputTokens", 100, "expectedInputTokens", 100));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            turns.add(t);
        }
        assertThat(account(acct).get("heldMillicredits").asLong()).isEqualTo(TURNS * 9_000L);
        setClock(start.plusSeconds(11 * 60));

        ExecutorService pool = Executors.newFixedThreadPool(TURNS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Response>> answers = new ArrayList<>();
        for (int i = 0; i < TURNS; i++) {
            String path = "/api/v1/turns/" + turns.get(i) + (i % 3 == 0 ? "/void" : "/settle");
            Object body = i % 3 == 0 ? Map.of() : Map.of("usage", Map.of("inputTokens", 100, "outputTokens", 100));
            answers.add(pool.submit(() -> {
                go.await();
                return api.post(path, api.engine(), body);
            }));
        }
        go.countDown();
        for (Future<Api.Response> f : answers) {
            Api.Response r = f.get();
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertThat(r.json().get("code").asText()).isEqualTo("turn_not_open");
            assertThat(r.json().get("turnStatus").asText()).isEqualTo("expired");
        }
        pool.shutdown();
        assertThat(account(acct).get("heldMillicredits").asLong()).isZero();
        assertThat(balance(acct)).isEqualTo(100_000_000);
        for (String t : turns) {
            assertThat(api.get("/api/v1/turns/" + t, api.engine()).json().get("status").asText()).isEqualTo("expired");
        }
        assertReconciled();
    }
}
