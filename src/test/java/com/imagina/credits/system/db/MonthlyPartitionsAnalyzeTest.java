package com.imagina.credits.system.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.ApiTest;
import com.imagina.credits.system.ServiceClock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The partition jobs' {@code analyzeRecent} analyzes a month that was never analyzed, and afterwards only once
 * its rows changed by autovacuum's threshold ({@code autovacuum_analyze_threshold + autovacuum_analyze_scale_factor
 * × reltuples}), on a real database. The table is this test's own (a {@link MonthlyPartitions} of a throwaway
 * partitioned table, autovacuum off on its months so that nothing else analyzes them meanwhile), so no other
 * test's rows count; it is dropped afterwards.
 */
class MonthlyPartitionsAnalyzeTest extends ApiTest {
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ServiceClock clock;

    /** A name of letters only ({@code MonthlyPartitions} takes {@code [a-z_]+}): the hex digits 0–9 as g–p. */
    private final String table = "analyze_probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .chars().mapToObj(c -> String.valueOf((char) (c <= '9' ? c - '0' + 'g' : c))).reduce("", String::concat);

    @AfterEach
    void dropTable() {
        jdbc.sql("drop table if exists " + table).update();
    }

    @Test
    void aMonthIsAnalyzedWhenNeverAnalyzedOrChangedByAutovacuumsThreshold() {
        jdbc.sql("create table " + table + " (n int not null, created_at timestamptz not null)"
                + " partition by range (created_at)").update();
        MonthlyPartitions partitions = new MonthlyPartitions(table, 912_345_678L, jdbc, tx, clock, 1) {};
        assertThat(partitions.ensure(LocalDate.parse("2040-02-10"), 1))
                .containsExactly(table + "_2040_02", table + "_2040_03");
        for (String month : List.of("_2040_02", "_2040_03")) {
            jdbc.sql("alter table " + table + month + " set (autovacuum_enabled = false)").update();
        }
        LocalDate march = LocalDate.parse("2040-03-05"); // analyzes February and March

        assertThat(partitions.analyzeRecent(march)).as("never analyzed, though empty")
                .containsExactly(table + "_2040_02", table + "_2040_03");
        assertThat(analyzeCount("_2040_02")).isEqualTo(1);
        assertThat(partitions.analyzeRecent(march)).as("nothing changed since").isEmpty();

        // February was analyzed empty: its threshold is the base threshold (+ scale factor × 0 rows).
        long threshold = jdbc.sql("select cast(current_setting('autovacuum_analyze_threshold') as bigint)")
                .query(Long.class).single();
        insertIntoFebruary(threshold - 1);
        assertThat(modifiedSinceAnalyze("_2040_02")).isEqualTo(threshold - 1);
        assertThat(partitions.analyzeRecent(march)).as("one row short of the threshold").isEmpty();
        assertThat(analyzeCount("_2040_02")).isEqualTo(1);

        insertIntoFebruary(1);
        assertThat(partitions.analyzeRecent(march)).as("at the threshold").containsExactly(table + "_2040_02");
        assertThat(analyzeCount("_2040_02")).isEqualTo(2);
        assertThat(modifiedSinceAnalyze("_2040_02")).isZero();
        assertThat(jdbc.sql("select reltuples from pg_class where oid = to_regclass(:name)")
                .param("name", table + "_2040_02").query(Double.class).single()).isEqualTo(threshold);

        // Now reltuples = threshold rows: the next one is due after threshold + scale factor × reltuples changes.
        long next = jdbc.sql("""
                select ceil(cast(current_setting('autovacuum_analyze_threshold') as float8)
                            + cast(current_setting('autovacuum_analyze_scale_factor') as float8) * :rows)""")
                .param("rows", threshold).query(Long.class).single();
        insertIntoFebruary(next - 1);
        assertThat(partitions.analyzeRecent(march)).as("below the grown threshold").isEmpty();
        insertIntoFebruary(1);
        assertThat(partitions.analyzeRecent(march)).containsExactly(table + "_2040_02");
    }

    /**
     * Inserts {@code rows} February rows and commits; the inserting backend reports its counts to the statistics
     * system as the transaction ends ({@code pg_stat_force_next_flush}, not after its usual interval).
     */
    private void insertIntoFebruary(long rows) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("insert into " + table + " (n, created_at)"
                    + " select g, timestamptz '2040-02-15 12:00:00+00' from generate_series(1, :rows) g")
                    .param("rows", rows).update();
            jdbc.sql("select 1 from pg_stat_force_next_flush()").query(Integer.class).single();
        });
    }

    private long analyzeCount(String month) {
        return jdbc.sql("select analyze_count from pg_stat_user_tables where relid = to_regclass(:name)")
                .param("name", table + month).query(Long.class).single();
    }

    private long modifiedSinceAnalyze(String month) {
        return jdbc.sql("select n_mod_since_analyze from pg_stat_user_tables where relid = to_regclass(:name)")
                .param("name", table + month).query(Long.class).single();
    }
}
