package com.imagina.credits.accounts;

import com.imagina.credits.ledger.Grants;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/accounts/{accountId}}. {@code expiring} lists what is left of the promotional
 * credits that expire, soonest first; {@code credits} splits the balance by kind, in the order a turn
 * spends it.
 */
public record AccountView(
        String accountId,
        long balanceMillicredits,
        long heldMillicredits,
        long availableMillicredits,
        FreeTurnsView freeTurns,
        LimitsView limits,
        List<Grants.Expiring> expiring,
        Grants.Credits credits) {

    record FreeTurnsView(int remaining, int dailyAllowance, Instant resetsAt) {}

    record LimitsView(Long dailySpendLimitMillicredits, long spentTodayMillicredits, Instant resetsAt) {}
}
