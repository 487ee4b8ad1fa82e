package com.imagina.credits.accounts;

import java.time.Instant;

/** {@code GET /api/v1/accounts/{accountId}}. */
public record AccountView(
        String accountId,
        long balanceMillicredits,
        long heldMillicredits,
        long availableMillicredits,
        FreeTurnsView freeTurns,
        LimitsView limits) {

    public record FreeTurnsView(int remaining, int dailyAllowance, Instant resetsAt) {}

    public record LimitsView(Long dailySpendLimitMillicredits, long spentTodayMillicredits, Instant resetsAt) {}
}
