package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * turns is partitioned by month (V107): the job creates the months ahead, once however many runs go at the same
 * time, and a second run makes nothing; a turn lands in its month's partition with its id in turn_keys; a replay
 * answers the stored answer and a different body is still idempotency_conflict. The clock is not moved (months
 * far ahead are made directly), so no other test sees entries or days from the future.
 */
class TurnPartitionsTest extends ApiTest {
    @Autowired
    TurnPartitions partitions;

    @Test
    void monthsAheadAreCreatedOnce() {
        assertThat(partitions.ensure(LocalDate.parse("2047-07-15"), 2))
                .containsExactly("turns_2047_07", "turns_2047_08", "turns_2047_09");
        assertThat(partitions.ensure(LocalDate.parse("2047-07-15"), 2)).as("idempotent").isEmpty();
    }

    @Test
    void thisMonthsPartitionGetsStatistics() {
        partitions.ensureAhead();
        // The job analyzes the months of the service's clock (adjustable, shared: maybe another test's).
        String month = "turns_" + DateTimeFormatter.ofPattern("yyyy_MM")
                .format(LocalDate.ofInstant(Instant.parse(api.get("/api/v1/admin/clock", api.admin())
                        .json().get("now").asText()), ZoneOffset.UTC));
        // Not made if the default partition already holds rows of that month (MonthlyPartitions' javadoc).
        boolean exists = jdbc.sql("select to_regclass(:name) is not null").param("name", month)
                .query(Boolean.class).single();
        long before = analyzeCount(month);
        List<String> analyzed = partitions.analyzeRecent();
        if (exists) {
            // Analyzed now, or (a month analyzed before, by the start-up run or another test, with fewer changes
            // since than autovacuum's threshold) skipped with its statistics in place: MonthlyPartitionsAnalyzeTest.
            assertThat(analyzeCount(month)).isPositive();
            if (analyzed.contains(month)) assertThat(analyzeCount(month)).isGreaterThan(before);
            else assertThat(before).isPositive();
        } else {
            assertThat(analyzed).doesNotContain(month);
        }
    }

    private long analyzeCount(String partition) {
        return jdbc.sql("select coalesce(max(analyze_count), 0) from pg_stat_user_tables where relname = :name"
                + " and schemaname = current_schema()").param("name", partition).query(Long.class).single();
    }

    @Test
    void aTurnLandsInItsMonthAndItsIdIsTakenOnce() {
        partitions.ensureAhead();
        String account = id("part"), owner = id("parto"), turn = id("t-part");
        adjust(account, 100_000_000);
        String world = world(owner, true);
        Map<String, Object> body = Map.of("turnId", turn, "accountId", account, "journeyId", "j-" + turn,
                "worldId", world, "modelId", "claude-opus-4-1", "purpose", "play", "maxOutputTokens", 500,
                "expectedInputTokens", 2000);
        var a = api.post("/api/v1/turns", api.engine(), body);
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        String month = jdbc.sql("select to_char(created_at at time zone 'UTC', 'YYYY_MM') from turns where turn_id = :t")
                .param("t", turn).query(String.class).single();
        // The month's partition, unless the (adjustable, shared) clock is in a month whose rows other tests left
        // in turns_default before it existed: then PostgreSQL refuses the month and the turn lands in the default.
        boolean monthExists = jdbc.sql("""
                select exists (select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
                                where i.inhparent = 'turns'::regclass and c.relname = :name)""")
                .param("name", "turns_" + month).query(Boolean.class).single();
        assertThat(jdbc.sql("select tableoid::regclass::text from turns where turn_id = :t").param("t", turn)
                .query(String.class).single()).isEqualTo(monthExists ? "turns_" + month : "turns_default");
        assertThat(jdbc.sql("select count(*) from turn_keys where turn_id = :t").param("t", turn)
                .query(Long.class).single()).isEqualTo(1);

        var replay = api.post("/api/v1/turns", api.engine(), body);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(a.body());
        Map<String, Object> other = new HashMap<>(body);
        other.put("maxOutputTokens", 900);
        var conflict = api.post("/api/v1/turns", api.engine(), other);
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        assertThat(conflict.json().get("code").asText()).isEqualTo("idempotency_conflict");
        assertThat(jdbc.sql("select count(*) from turns where turn_id = :t").param("t", turn)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(api.post("/api/v1/turns/" + turn + "/void", api.engine(), Map.of()).status()).isEqualTo(200);
        assertReconciled();
    }

    @Test
    void concurrentRunsCreateEachMonthOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            Callable<List<String>> run = () -> partitions.ensure(LocalDate.parse("2048-01-10"), 2);
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
        assertThat(LocalDate.now(ZoneOffset.UTC)).isBefore(LocalDate.parse("2048-01-01"));
    }
}
