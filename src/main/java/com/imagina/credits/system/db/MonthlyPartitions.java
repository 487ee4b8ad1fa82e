package com.imagina.credits.system.db;

import com.imagina.credits.system.ServiceClock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The months of a table partitioned by month of {@code created_at} ({@code turns}, V107; {@code ledger_entries},
 * V113): the mechanism and its schedule, extended by the table's owner ({@code turns/TurnPartitions},
 * {@code ledger/LedgerPartitions}), which names the table and its lock. Each month is made in a transaction of its own that holds the table's transaction-scoped
 * advisory lock, so one run at a time across instances, checks whether the month exists and makes it with
 * idempotent DDL ({@code create table if not exists}, then {@code attach partition}): a second instance, or a run
 * that finds the month made, does nothing. {@code lock_timeout} is 500 ms: making a month locks the tables the
 * parent's foreign keys reference ({@code accounts}) and the default partition briefly, and a busy moment makes
 * the run give up on that month until the next run (months are made weeks ahead) rather than queue the table's
 * writers behind it.
 *
 * <p>A month whose range already has rows in the table's default partition (a clock set far ahead) cannot be
 * created (PostgreSQL refuses: the default's rows would violate it); it is logged and those rows stay in the
 * default.
 */
public abstract class MonthlyPartitions {
    private static final Logger log = LoggerFactory.getLogger(MonthlyPartitions.class);

    private final String table;
    private final long lockKey;
    private final DateTimeFormatter name;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ServiceClock clock;
    private final int monthsAhead;

    /**
     * {@code table} is a constant of the owner's code, never input: it is written into DDL as it is.
     * {@code monthsAhead}: {@code credits.partitions.months-ahead}, at least 1.
     */
    protected MonthlyPartitions(String table, long lockKey, JdbcClient jdbc, TransactionTemplate tx, ServiceClock clock,
            int monthsAhead) {
        if (!table.matches("[a-z_]+")) throw new IllegalArgumentException("not a table name: " + table);
        if (monthsAhead < 1) throw new IllegalStateException("credits.partitions.months-ahead must be at least 1");
        this.table = table;
        this.lockKey = lockKey;
        this.name = DateTimeFormatter.ofPattern("'" + table + "_'yyyy_MM");
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.monthsAhead = monthsAhead;
    }

    /**
     * One run, at start-up and every {@code credits.partitions.interval} (6 h): the months ahead made, the recent
     * ones analyzed; logs, never throws.
     */
    @Scheduled(fixedDelayString = "${credits.partitions.interval:6h}", initialDelayString = "${credits.partitions.initial-delay:0s}")
    void run() {
        try {
            List<String> made = ensureAhead();
            if (!made.isEmpty()) log.info("Partitions of {} created: {}", table, made);
            analyzeRecent();
        } catch (RuntimeException e) {
            log.warn("Partitions of {}: the run failed; the next run carries on: {}", table, e.toString());
        }
    }

    /** Creates the missing months from this one (service clock) to months-ahead after it; the ones it made. */
    public List<String> ensureAhead() {
        return ensure(today(), monthsAhead);
    }

    /** {@link #analyzeRecent(LocalDate)} of the service clock's day. */
    public List<String> analyzeRecent() {
        return analyzeRecent(today());
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
    }

    /** The partition of {@code month}'s name, e.g. {@code turns_2026_12}. */
    String name(LocalDate month) {
        return name.format(month);
    }

    /** Creates the missing months from {@code day}'s to {@code monthsAhead} after it; returns the ones it made. */
    public List<String> ensure(LocalDate day, int monthsAhead) {
        LocalDate first = day.withDayOfMonth(1);
        List<String> made = new ArrayList<>();
        for (int i = 0; i <= monthsAhead; i++) {
            LocalDate month = first.plusMonths(i);
            try {
                if (Boolean.TRUE.equals(tx.execute(status -> create(month)))) made.add(name(month));
            } catch (RuntimeException e) {
                log.warn("Partition {} not created: {}", name(month), e.toString());
            }
        }
        return made;
    }

    /**
     * Statistics for the months that take writes now (the last one and this one of {@code day}), by
     * {@code analyze} of each existing partition; returns the ones analyzed. Autovacuum analyzes a partition only
     * when autovacuum is on (this machine's PostgreSQL runs without it) and never the partitioned parent, and a
     * month made ahead was analyzed, if ever, while empty: without statistics the planner chose plans that read a
     * whole month (an account's history sorted instead of one page of its index). The money path does not depend
     * on statistics (README, "Plans that do not need statistics"); the reports and pages do. {@code analyze}
     * samples a fixed number of rows whatever the month's size and blocks no reads or writes. One instance at a
     * time: an instance that finds the table's advisory lock taken skips the month. A month analyzed before
     * whose rows changed less since then than autovacuum's own rule would wait for ({@link #ANALYZE_DUE}) is
     * skipped: a start-up or a run every 6 h then costs a catalog read, not a sample of each month (≈ 2 s for a
     * month of 50,000 turns at bench/scale's 100k).
     */
    List<String> analyzeRecent(LocalDate day) {
        List<String> done = new ArrayList<>();
        LocalDate thisMonth = day.withDayOfMonth(1);
        for (LocalDate month : List.of(thisMonth.minusMonths(1), thisMonth)) {
            String partition = name(month);
            try {
                if (Boolean.TRUE.equals(tx.execute(status -> analyze(partition)))) done.add(partition);
            } catch (RuntimeException e) {
                log.warn("Partition {} not analyzed: {}", partition, e.toString());
            }
        }
        return done;
    }

    /**
     * Whether the partition {@code :name} is due for {@code analyze}: never analyzed (by hand or by autovacuum), or
     * changed since its last analyze by at least autovacuum's threshold, {@code autovacuum_analyze_threshold +
     * autovacuum_analyze_scale_factor × reltuples} (each setting the table's own storage parameter when it has
     * one, else the server's). Null when no such table exists. Counts are the statistics system's, which a backend
     * reports when its transaction ends (at most a second or so later under load): a month just past the threshold
     * may wait for the next run.
     */
    static final String ANALYZE_DUE = """
            select s.relid is null or (s.last_analyze is null and s.last_autoanalyze is null)
                   or s.n_mod_since_analyze >= coalesce(
                          (select cast(option_value as float8) from pg_options_to_table(c.reloptions)
                            where option_name = 'autovacuum_analyze_threshold'),
                          cast(current_setting('autovacuum_analyze_threshold') as float8))
                      + coalesce(
                          (select cast(option_value as float8) from pg_options_to_table(c.reloptions)
                            where option_name = 'autovacuum_analyze_scale_factor'),
                          cast(current_setting('autovacuum_analyze_scale_factor') as float8))
                        * greatest(c.reltuples, 0)
              from pg_class c left join pg_stat_user_tables s on s.relid = c.oid
             where c.oid = to_regclass(:name)""";

    private boolean analyze(String partition) {
        if (!jdbc.sql("select pg_try_advisory_xact_lock(:key)").param("key", lockKey).query(Boolean.class).single()) {
            return false;
        }
        if (!jdbc.sql(ANALYZE_DUE).param("name", partition).query(Boolean.class).optional().orElse(false)) {
            return false; // no such month, or its statistics are recent enough
        }
        jdbc.sql("set local lock_timeout = '500ms'").update();
        jdbc.sql("set local statement_timeout = '10min'").update(); // a sample of the month, not the request bound
        jdbc.sql("analyze " + partition).update(); // the name is built from a date and a constant, never input
        return true;
    }

    /**
     * One month, under the advisory lock; true when this call created it. The order of its locks is what keeps
     * it out of deadlocks with the table's writers (found by PayoutsAcrossInstancesTest once two tables had the
     * job): {@code create table … partition of} takes the parent in access exclusive mode and then, to clone the
     * foreign keys, every referenced table ({@code accounts}) in share row exclusive mode, while a money move holds
     * {@code accounts} and then wants the parent — a cycle. So the run first locks the referenced tables (holding
     * nothing a writer waits for), then makes the month as a table of its own and attaches it, which takes the
     * parent only in share update exclusive mode (no conflict with reads or writes) and the default partition in
     * access exclusive mode. Its {@code lock_timeout} (500 ms) is below {@code deadlock_timeout} (1 s by default):
     * should a reader of the default partition that then writes {@code accounts} still close a cycle, the run is
     * the one that gives up, not the money move.
     */
    private boolean create(LocalDate month) {
        jdbc.sql("select 1 from pg_advisory_xact_lock(:key)").param("key", lockKey).query(Integer.class).single();
        jdbc.sql("set local lock_timeout = '500ms'").update();
        String partition = name(month);
        boolean exists = jdbc.sql("""
                select exists (select 1 from pg_class c join pg_inherits i on i.inhrelid = c.oid
                                where i.inhparent = cast(:table as regclass) and c.relname = :name)""")
                .param("table", table).param("name", partition).query(Boolean.class).single();
        if (exists) return false;
        // Rows of the month already in the default (a clock set far ahead): PostgreSQL would refuse the month, so
        // refuse it here, before locking anything writers use. (The attach below scans the default while it holds
        // the referenced tables: the default must stay small, which months made ahead ensure.)
        String from = month + " 00:00:00+00", to = month.plusMonths(1) + " 00:00:00+00";
        String defaultPartition = table + "_default";
        boolean hasDefault = jdbc.sql("select to_regclass(:name) is not null").param("name", defaultPartition)
                .query(Boolean.class).single();
        boolean taken = hasDefault && jdbc.sql("select exists (select 1 from " + defaultPartition
                        + " where created_at >= cast(:from as timestamptz) and created_at < cast(:to as timestamptz))")
                .param("from", from).param("to", to).query(Boolean.class).single();
        if (taken) throw new IllegalStateException(defaultPartition + " already holds rows of " + partition);
        List<String> referenced = jdbc.sql("""
                select distinct confrelid::regclass::text from pg_constraint
                 where conrelid = cast(:table as regclass) and contype = 'f' order by 1""")
                .param("table", table).query(String.class).list();
        for (String t : referenced) jdbc.sql("lock table " + t + " in share row exclusive mode").update();
        // Names and bounds are built from a date and constants, never from input; the new table takes the parent's
        // columns, defaults and checks, and the attach gives it the indexes, foreign keys and row triggers.
        jdbc.sql("create table if not exists " + partition + " (like " + table
                + " including defaults including constraints including generated including storage)").update();
        jdbc.sql("alter table " + table + " attach partition " + partition + " for values from ('" + from + "') to ('"
                + to + "')").update();
        return true;
    }
}
