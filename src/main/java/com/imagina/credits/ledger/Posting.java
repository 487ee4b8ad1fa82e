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

    /*
     * One factory per kind of move, each stating its entry type, its sign and its entry key; no caller
     * builds a Posting from positional arguments (a record's canonical constructor cannot be private, so
     * ArchitectureTest checks that only this file calls it).
     */

    /** A plain credit or debit that neither closes a hold nor counts as spend. */
    private static Posting plain(String accountId, EntryType type, long amountMillicredits, String description,
            String entryKey, String reference, Instant createdAt) {
        return new Posting(accountId, type, amountMillicredits, null, description, entryKey, null, null, null,
                null, reference, createdAt, 0, 0, null, false, 0);
    }

    /** The credits a paid checkout session buys: key {@code purchase:<sessionId>}. */
    public static Posting purchase(String accountId, long creditedMillicredits, String description, String sessionId,
            Instant createdAt) {
        return plain(accountId, EntryType.PURCHASE, creditedMillicredits, description, "purchase:" + sessionId,
                sessionId, createdAt);
    }

    /**
     * What a refund takes back, once per cumulative refunded amount: key
     * {@code refund:<sessionId>:<refundedCents>}.
     */
    public static Posting refund(String accountId, long takenMillicredits, String description, String sessionId,
            long refundedCents, Instant createdAt) {
        return plain(accountId, EntryType.REFUND, -takenMillicredits, description,
                "refund:" + sessionId + ":" + refundedCents, sessionId, createdAt);
    }

    /** What a chargeback takes back: key {@code dispute:<disputeId>}. */
    public static Posting disputeClawback(String accountId, long takenMillicredits, String description,
            String disputeId, String sessionId, Instant createdAt) {
        return plain(accountId, EntryType.DISPUTE, -takenMillicredits, description, "dispute:" + disputeId,
                sessionId, createdAt);
    }

    /** A won dispute gives back what its clawback took: key {@code dispute_reversal:<disputeId>}. */
    public static Posting disputeReversal(String accountId, long returnedMillicredits, String description,
            String disputeId, String sessionId, Instant createdAt) {
        return plain(accountId, EntryType.DISPUTE_REVERSAL, returnedMillicredits, description,
                "dispute_reversal:" + disputeId, sessionId, createdAt);
    }

    /** An operator's signed correction: key {@code adjustment:<adjustmentId>}, the reason as description. */
    static Posting adjustment(String accountId, long amountMillicredits, String reason, String adjustmentId,
            Instant createdAt) {
        return new Posting(accountId, EntryType.ADJUSTMENT, amountMillicredits, null, reason,
                "adjustment:" + adjustmentId, null, null, null, adjustmentId, null, createdAt, 0, 0, null, false, 0);
    }

    /** Promotional credits granted: key {@code grant:<grantId>}. */
    static Posting grant(String accountId, long grantedMillicredits, String description, String grantId,
            Instant createdAt) {
        return plain(accountId, EntryType.GRANT, grantedMillicredits, description, "grant:" + grantId, grantId,
                createdAt);
    }

    /** What is left of a promotional grant at its expiry, taken back: key {@code expiry:<grantId>}. */
    static Posting grantExpiry(String accountId, long leftMillicredits, String grantId, Instant createdAt) {
        return plain(accountId, EntryType.EXPIRY, -leftMillicredits, "Promotional credits expired",
                "expiry:" + grantId, grantId, createdAt);
    }

    /** A world owner's revenue share for one payout group; the payout decides its {@code entryKey}. */
    public static Posting revenueSharePayout(String ownerId, long shareMillicredits, String description,
            String entryKey, String worldId, Instant createdAt) {
        return new Posting(ownerId, EntryType.REVENUE_SHARE, shareMillicredits, null, description, entryKey, null,
                null, worldId, null, null, createdAt, 0, 0, null, false, 0);
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
}
