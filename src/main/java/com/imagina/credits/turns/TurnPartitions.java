package com.imagina.credits.turns;

import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.db.MonthlyPartitions;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * {@code credits.partitions.interval} (default 6 h). Exactly once across instances, with a short
 * {@code lock_timeout}: see {@link MonthlyPartitions} (advisory lock, idempotent DDL). {@code ledger_entries}
 * has the same job of its own ({@code ledger/LedgerPartitions}, V113), its table's owner.
 *
 * <p>Detaching an old month ({@code alter table turns detach partition turns_2026_01 concurrently}) is an
 * operator's step, not the job's: ledger entries are kept for ever and carry what the books need; a detached
 * month's turns answer 404 on {@code GET /api/v1/turns/{id}}, and their ids stay taken in {@code turn_keys}.
 */
@Component
class TurnPartitions {
    private static final Logger log = LoggerFactory.getLogger(TurnPartitions.class);
    /** The advisory lock of a run: one run at a time across instances. */
    static final long LOCK_KEY = 0x7475726e73L; // "turns"

    private final ServiceClock clock;
    private final MonthlyPartitions months;
    private final int monthsAhead;

    TurnPartitions(JdbcClient jdbc, ServiceClock clock, TransactionTemplate tx,
            @Value("${credits.partitions.months-ahead:2}") int monthsAhead) {
        if (monthsAhead < 1) throw new IllegalStateException("credits.partitions.months-ahead must be at least 1");
        this.clock = clock;
        this.months = new MonthlyPartitions("turns", LOCK_KEY, jdbc, tx);
        this.monthsAhead = monthsAhead;
    }

    @Scheduled(fixedDelayString = "${credits.partitions.interval:6h}", initialDelayString = "${credits.partitions.initial-delay:0s}")
    void tick() {
        try {
            List<String> made = ensureAhead();
            if (!made.isEmpty()) log.info("Turn partitions created: {}", made);
            analyzeRecent();
        } catch (RuntimeException e) {
            log.warn("Turn partitions run failed; the next run carries on: {}", e.toString());
        }
    }

    /** Statistics for this month's and the last month's partitions ({@link MonthlyPartitions#analyzeRecent}). */
    List<String> analyzeRecent() {
        return months.analyzeRecent(LocalDate.ofInstant(clock.now(), ZoneOffset.UTC));
    }

    /** Creates the missing months from this one to {@code monthsAhead} ahead; returns the ones it made. */
    List<String> ensureAhead() {
        return ensure(LocalDate.ofInstant(clock.now(), ZoneOffset.UTC), monthsAhead);
    }

    /** Creates the missing months from {@code day}'s to {@code monthsAhead} after it; returns the ones it made. */
    List<String> ensure(LocalDate day, int monthsAhead) {
        return months.ensure(day, monthsAhead);
    }
}
