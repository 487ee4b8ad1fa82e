package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * turns is partitioned by month (V107): the job creates this month and the next ones, once however many run at
 * the same time, and a second run makes nothing; a turn lands in its month; a turn id stays unique across
 * partitions (turn_keys): a replay answers the stored answer, a different body is still idempotency_conflict.
 */
class TurnPartitionsTest extends ApiTest {
    @Autowired
    TurnPartitions partitions;

    @Test
    void monthsAheadAreCreatedOnceAndTurnsLandInTheirMonth() {
        setClock(Instant.parse("2047-07-15T10:00:00Z"));
        assertThat(partitions.ensureAhead()).containsExactly("turns_2047_07", "turns_2047_08", "turns_2047_09");
        assertThat(partitions.ensureAhead()).as("idempotent").isEmpty();

        String account = id("part"), owner = id("parto"), turn = id("t-part");
        adjust(account, 100_000_000);
        String world = world(owner, true);
        Map<String, Object> body = Map.of("turnId", turn, "accountId", account, "journeyId", "j-" + turn,
                "worldId", world, "modelId", "claude-opus-4-1", "purpose", "play", "maxOutputTokens", 500,
                "expectedInputTokens", 2000);
        var a = api.post("/api/v1/turns", api.engine(), body);
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        assertThat(jdbc.sql("select tableoid::regclass::text from turns where turn_id = :t").param("t", turn)
                .query(String.class).single()).isEqualTo("turns_2047_07");
        assertThat(jdbc.sql("select count(*) from turn_keys where turn_id = :t").param("t", turn)
                .query(Long.class).single()).isEqualTo(1);

        // Next month: the same id is still taken (turn_keys), whichever partition the new row would land in.
        setClock(Instant.parse("2047-08-02T10:00:00Z"));
        var replay = api.post("/api/v1/turns", api.engine(), body);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(a.body());
        Map<String, Object> other = new java.util.HashMap<>(body);
        other.put("maxOutputTokens", 900);
        var conflict = api.post("/api/v1/turns", api.engine(), other);
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        assertThat(conflict.json().get("code").asText()).isEqualTo("idempotency_conflict");
        assertThat(jdbc.sql("select count(*) from turns where turn_id = :t").param("t", turn)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void concurrentRunsCreateEachMonthOnce() throws Exception {
        setClock(Instant.parse("2048-01-10T10:00:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            Callable<List<String>> run = partitions::ensureAhead;
            for (int i = 0; i < 4; i++) runs.add(pool.submit(run));
            List<String> made = new ArrayList<>();
            for (Future<List<String>> f : runs) made.addAll(f.get());
            assertThat(made).containsExactlyInAnyOrder("turns_2048_01", "turns_2048_02", "turns_2048_03");
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("""
                select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid
                 where i.inhparent = 'turns'::regclass and c.relname like 'turns_2048_%'""")
                .query(Long.class).single()).isEqualTo(3);
    }
}
