package com.imagina.credits.system.db;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The months of a table partitioned by month of {@code created_at} ({@code turns}, V107; {@code ledger_entries},
 * V113): the mechanism, used by the table's owner ({@code turns/TurnPartitions}, {@code ledger/LedgerPartitions}),
 * which says when. Each month is made in a transaction of its own that holds the table's transaction-scoped
 * advisory lock, so one run at a time across instances, checks whether the month exists and makes it with
 * idempotent DDL ({@code create table if not exists … partition of}): a second instance, or a run that finds the
 * month made, does nothing. {@code lock_timeout} is 2 s: creating a partition locks the parent briefly, and a busy
 * moment makes the run give up on that month until the next run (months are made weeks ahead) rather than queue
 * the table's writers behind it.
 *
 * <p>A month whose range already has rows in the table's default partition (a clock set far ahead) cannot be
 * created (PostgreSQL refuses: the default's rows would violate it); it is logged and those rows stay in the
 * default.
 */
public final class MonthlyPartitions {
    private static final Logger log = LoggerFactory.getLogger(MonthlyPartitions.class);

    private final String table;
    private final long lockKey;
    private final DateTimeFormatter name;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    /** {@code table} is a constant of the owner's code, never input: it is written into DDL as it is. */
    public MonthlyPartitions(String table, long lockKey, JdbcClient jdbc, TransactionTemplate tx) {
        if (!table.matches("[a-z_]+")) throw new IllegalArgumentException("not a table name: " + table);
        this.table = table;
        this.lockKey = lockKey;
        this.name = DateTimeFormatter.ofPattern("'" + table + "_'yyyy_MM");
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** The partition of {@code month}'s name, e.g. {@code turns_2026_12}. */
    public String name(LocalDate month) {
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

    /** One month, under the advisory lock; true when this call created it. */
    private boolean create(LocalDate month) {
        jdbc.sql("select 1 from pg_advisory_xact_lock(:key)").param("key", lockKey).query(Integer.class).single();
        jdbc.sql("set local lock_timeout = '2s'").update();
        String partition = name(month);
        boolean exists = jdbc.sql("""
                select exists (select 1 from pg_class c join pg_inherits i on i.inhrelid = c.oid
                                where i.inhparent = cast(:table as regclass) and c.relname = :name)""")
                .param("table", table).param("name", partition).query(Boolean.class).single();
        if (exists) return false;
        // Names and bounds are built from a date and a constant, never from input.
        jdbc.sql("create table if not exists " + partition + " partition of " + table + " for values from ('"
                + month + " 00:00:00+00') to ('" + month.plusMonths(1) + " 00:00:00+00')").update();
        return true;
    }
}
