package com.imagina.credits.turns;

import com.imagina.credits.system.ServiceClock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The monthly partitions of {@code turns} (V107): keeps this month and the next
 * {@code credits.partitions.months-ahead} (default 2) created, at start-up and every
 * {@code credits.partitions.interval} (default 6 h). Exactly once across instances: each run holds a
 * transaction-scoped advisory lock, and the DDL is idempotent ({@code create table if not exists … partition
 * of}), so a second instance, or a run that finds the month made, does nothing. The run sets a short
 * {@code lock_timeout}: creating a partition locks the parent briefly, and a busy moment makes the run give up
 * and try at the next interval (months are made weeks ahead) rather than queue turns behind it.
 *
 * <p>A month whose range already has rows in {@code turns_default} (a clock set far ahead) cannot be created
 * (PostgreSQL refuses: the default's rows would violate it); the run logs it and those rows stay in the default.
 *
 * <p>Detaching an old month ({@code alter table turns detach partition turns_2026_01 concurrently}) is an
 * operator's step, not the job's: ledger entries are kept for ever and carry what the books need; a detached
 * month's turns answer 404 on {@code GET /api/v1/turns/{id}}, and their ids stay taken in {@code turn_keys}.
 */
@Component
class TurnPartitions {
    private static final Logger log = LoggerFactory.getLogger(TurnPartitions.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'turns_'yyyy_MM");
    /** The advisory lock of a run: one run at a time across instances. */
    static final long LOCK_KEY = 0x7475726e73L; // "turns"

    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final TransactionTemplate tx;
    private final int monthsAhead;

    TurnPartitions(JdbcClient jdbc, ServiceClock clock, TransactionTemplate tx,
            @Value("${credits.partitions.months-ahead:2}") int monthsAhead) {
        if (monthsAhead < 1) throw new IllegalStateException("credits.partitions.months-ahead must be at least 1");
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = tx;
        this.monthsAhead = monthsAhead;
    }

    @Scheduled(fixedDelayString = "${credits.partitions.interval:6h}", initialDelayString = "${credits.partitions.initial-delay:0s}")
    void tick() {
        try {
            List<String> made = ensureAhead();
            if (!made.isEmpty()) log.info("Turn partitions created: {}", made);
        } catch (RuntimeException e) {
            log.warn("Turn partitions run failed; the next run carries on: {}", e.toString());
        }
    }

    /** Creates the missing months from this one to {@code monthsAhead} ahead; returns the ones it made. */
    List<String> ensureAhead() {
        return ensure(LocalDate.ofInstant(clock.now(), ZoneOffset.UTC), monthsAhead);
    }

    /** Creates the missing months from {@code day}'s to {@code monthsAhead} after it; returns the ones it made. */
    List<String> ensure(LocalDate day, int monthsAhead) {
        LocalDate first = day.withDayOfMonth(1);
        List<String> made = new ArrayList<>();
        for (int i = 0; i <= monthsAhead; i++) {
            LocalDate month = first.plusMonths(i);
            try {
                if (Boolean.TRUE.equals(tx.execute(status -> create(month)))) made.add(NAME.format(month));
            } catch (RuntimeException e) {
                log.warn("Turn partition {} not created: {}", NAME.format(month), e.toString());
            }
        }
        return made;
    }

    /** One month, under the advisory lock; true when this call created it. */
    private boolean create(LocalDate month) {
        jdbc.sql("select 1 from pg_advisory_xact_lock(:key)").param("key", LOCK_KEY).query(Integer.class).single();
        jdbc.sql("set local lock_timeout = '2s'").update();
        String name = NAME.format(month);
        boolean exists = jdbc.sql("""
                select exists (select 1 from pg_class c join pg_inherits i on i.inhrelid = c.oid
                                where i.inhparent = 'turns'::regclass and c.relname = :name)""")
                .param("name", name).query(Boolean.class).single();
        if (exists) return false;
        // Names and bounds are built from a date, never from input.
        jdbc.sql("create table if not exists " + name + " partition of turns for values from ('"
                + month + " 00:00:00+00') to ('" + month.plusMonths(1) + " 00:00:00+00')").update();
        return true;
    }
}
