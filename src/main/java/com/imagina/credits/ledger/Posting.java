package com.imagina.credits.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One money move to append to the ledger. {@code entryKey} is unique across the ledger, so the same
 * move can never be applied twice. {@code releasedHoldMillicredits} is the hold a settlement closes in
 * the same statement, and {@code paidSpendMillicredits} what counts towards the player's daily cap on
 * {@code spendDay}. A {@code bounded} posting is a turn's charge: it asks for {@code -amountMillicredits}
 * and collects only what the account can pay (its hold, what is available beyond it, up to
 * {@code overdraftMillicredits} below zero, within today's cap); its paid spend is what it collected.
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
        LocalDate spendDay,
        boolean bounded,
        long overdraftMillicredits) {

    public Posting {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(entryKey, "entryKey");
        Objects.requireNonNull(createdAt, "createdAt");
        if (releasedHoldMillicredits < 0 || paidSpendMillicredits < 0) {
            throw new IllegalArgumentException("released hold and paid spend are never negative");
        }
        if (overdraftMillicredits < 0 || (bounded && amountMillicredits > 0)) {
            throw new IllegalArgumentException("a bounded posting is a charge; the overdraft is never negative");
        }
    }

    /** A plain credit or debit that neither closes a hold nor counts as spend (purchases, adjustments...). */
    public static Posting simple(String accountId, EntryType type, long amountMillicredits, String description,
            String entryKey, String reference, Instant createdAt) {
        return new Posting(accountId, type, amountMillicredits, null, description, entryKey, null, null, null,
                null, reference, createdAt, 0, 0, null, false, 0);
    }

    /**
     * A turn's charge: asks for {@code costToCollect} (0 for a free turn), closes the turn's hold, and
     * collects what the account can pay within {@code overdraftMillicredits} and today's cap.
     */
    public static Posting turnCharge(String accountId, EntryType type, long costToCollect, long fullCost,
            String description, String turnId, String modelId, String worldId, String journeyId, Instant createdAt,
            long releasedHold, LocalDate spendDay, long overdraftMillicredits) {
        return new Posting(accountId, type, -costToCollect, fullCost, description, "turn:" + turnId, turnId,
                modelId, worldId, null, journeyId, createdAt, releasedHold, costToCollect,
                costToCollect > 0 ? spendDay : null, costToCollect > 0, overdraftMillicredits);
    }

    public Posting withAdjustmentId(String adjustmentId) {
        return new Posting(accountId, type, amountMillicredits, fullCostMillicredits, description, entryKey, turnId,
                modelId, worldId, adjustmentId, reference, createdAt, releasedHoldMillicredits, paidSpendMillicredits,
                spendDay, bounded, overdraftMillicredits);
    }

    public Posting withWorld(String worldId) {
        return new Posting(accountId, type, amountMillicredits, fullCostMillicredits, description, entryKey, turnId,
                modelId, worldId, adjustmentId, reference, createdAt, releasedHoldMillicredits, paidSpendMillicredits,
                spendDay, bounded, overdraftMillicredits);
    }
}
