package com.imagina.credits.ledger;

import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.db.MonthlyPartitions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
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
class LedgerPartitions extends MonthlyPartitions {
    /** The advisory lock of a run: one run at a time across instances. */
    static final long LOCK_KEY = 0x6c6564676572L; // "ledger"

    LedgerPartitions(JdbcClient jdbc, ServiceClock clock, TransactionTemplate tx,
            @Value("${credits.partitions.months-ahead:2}") int monthsAhead) {
        super("ledger_entries", LOCK_KEY, jdbc, tx, clock, monthsAhead);
    }
}
