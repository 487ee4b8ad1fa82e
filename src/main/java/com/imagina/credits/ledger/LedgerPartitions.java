package com.imagina.credits.ledger;

import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.db.MonthlyPartitions;
import java.time.LocalDate;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The monthly partitions of {@code ledger_entries} (V113), owned here as every write of the table is: this month
 * and the next {@code credits.partitions.months-ahead} (default 2) kept created, at start-up and every
 * {@code credits.partitions.interval} (default 6 h), as {@code turns/TurnPartitions} does for turns. Exactly
 * once across instances, with a short {@code lock_timeout}: see {@link MonthlyPartitions} (advisory lock of
 * its own, idempotent DDL).
 *
 * <p>Entries are kept for ever; a month is detached only by the operator, after the month's checkpoint carries
 * every account's balance at its end (README "Data that grows": not done yet, so no month may be detached
 * now). An entry's key stays taken in {@code entry_keys} whatever happens to its month.
 */
@Component
class LedgerPartitions {
    /** The advisory lock of a run: one run at a time across instances. */
    static final long LOCK_KEY = 0x6c6564676572L; // "ledger"

    private final MonthlyPartitions months;

    LedgerPartitions(JdbcClient jdbc, ServiceClock clock, TransactionTemplate tx,
            @Value("${credits.partitions.months-ahead:2}") int monthsAhead) {
        this.months = new MonthlyPartitions("ledger_entries", LOCK_KEY, jdbc, tx, clock, monthsAhead);
    }

    @Scheduled(fixedDelayString = "${credits.partitions.interval:6h}", initialDelayString = "${credits.partitions.initial-delay:0s}")
    void tick() {
        months.run();
    }

    List<String> ensureAhead() {
        return months.ensureAhead();
    }

    List<String> analyzeRecent() {
        return months.analyzeRecent();
    }

    List<String> ensure(LocalDate day, int monthsAhead) {
        return months.ensure(day, monthsAhead);
    }
}
