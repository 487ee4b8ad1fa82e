package com.imagina.credits.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One money move to append to the ledger. {@code entryKey} is unique across the ledger, so the same
 * move can never be applied twice. {@code releasedHoldMillicredits} is the hold a settlement closes in
 * the same statement, and {@code paidSpendMillicredits} what counts towards the player's daily cap on
 * {@code spendDay}.
 */
public record Posting(
        String accountId,
        EntryType type,
        long amountMillicredits,
        Long fullCostMillicredits,
        String description,
        String entryKey,
        String turnId,
        String modelId,
        String worldId,
        String adjustmentId,
        String reference,
        Instant createdAt,
        long releasedHoldMillicredits,
        long paidSpendMillicredits,
        LocalDate spendDay) {

    public Posting {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(entryKey, "entryKey");
        Objects.requireNonNull(createdAt, "createdAt");
        if (releasedHoldMillicredits < 0 || paidSpendMillicredits < 0) {
            throw new IllegalArgumentException("released hold and paid spend are never negative");
        }
    }

    /** A plain credit or debit that neither closes a hold nor counts as spend (purchases, adjustments...). */
    public static Posting simple(String accountId, EntryType type, long amountMillicredits, String description,
            String entryKey, String reference, Instant createdAt) {
        return new Posting(accountId, type, amountMillicredits, null, description, entryKey, null, null, null,
                null, reference, createdAt, 0, 0, null);
    }

    public Posting withAdjustmentId(String adjustmentId) {
        return new Posting(accountId, type, amountMillicredits, fullCostMillicredits, description, entryKey, turnId,
                modelId, worldId, adjustmentId, reference, createdAt, releasedHoldMillicredits, paidSpendMillicredits,
                spendDay);
    }

    public Posting withWorld(String worldId) {
        return new Posting(accountId, type, amountMillicredits, fullCostMillicredits, description, entryKey, turnId,
                modelId, worldId, adjustmentId, reference, createdAt, releasedHoldMillicredits, paidSpendMillicredits,
                spendDay);
    }
}
