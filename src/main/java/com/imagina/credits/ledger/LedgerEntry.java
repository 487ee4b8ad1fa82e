package com.imagina.credits.ledger;

import java.time.Instant;

/** An appended, immutable ledger entry as the transaction history shows it. */
public record LedgerEntry(
        long id,
        String accountId,
        EntryType type,
        long amountMillicredits,
        Long fullCostMillicredits,
        long balanceAfterMillicredits,
        String description,
        String turnId,
        String modelId,
        String worldId,
        String adjustmentId,
        String reference,
        Instant createdAt) {}
