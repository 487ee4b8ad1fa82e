package com.imagina.credits.turns;

import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.db.MonthlyPartitions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
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
class TurnPartitions extends MonthlyPartitions {
    /** The advisory lock of a run: one run at a time across instances. */
    static final long LOCK_KEY = 0x7475726e73L; // "turns"

    TurnPartitions(JdbcClient jdbc, ServiceClock clock, TransactionTemplate tx,
            @Value("${credits.partitions.months-ahead:2}") int monthsAhead) {
        super("turns", LOCK_KEY, jdbc, tx, clock, monthsAhead);
    }
}
