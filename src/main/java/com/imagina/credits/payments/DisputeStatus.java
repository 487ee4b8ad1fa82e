package com.imagina.credits.payments;

import java.util.Arrays;

/**
 * A dispute's status, as Stripe names it ({@code Dispute.status}), plus {@code unknown} for an event that
 * carries none (other than {@code charge.dispute.created}, which means {@code needs_response}). The wire
 * name is what {@code stripe_disputes.status} holds and the {@code dispute.*} events' {@code status}
 * answers; it is mapped where Stripe's event is read ({@link StripeEventData#dispute}) and where the row
 * is read. The row and the events keep Stripe's word as it came; a word Stripe does not document decides
 * as {@code unknown} (neither final nor given back: the credits are taken, as for any open dispute).
 */
enum DisputeStatus {
    WARNING_NEEDS_RESPONSE, WARNING_UNDER_REVIEW, WARNING_CLOSED, NEEDS_RESPONSE, UNDER_REVIEW, WON, LOST,
    PREVENTED, UNKNOWN;

    String wireName() {
        return name().toLowerCase();
    }

    /**
     * After this nothing changes any more: {@code won}, {@code lost}, {@code warning_closed}. The upsert in
     * {@link DisputeClawbacks} names the same three in SQL (PaymentsUnitTest checks they agree).
     */
    boolean isFinal() {
        return this == WON || this == LOST || this == WARNING_CLOSED;
    }

    /** The money stays with the player: {@code won}, or {@code warning_closed} (an inquiry that took none). */
    boolean givesBack() {
        return this == WON || this == WARNING_CLOSED;
    }

    /** Null stays null (the event named no status); an undocumented word is {@link #UNKNOWN}. */
    static DisputeStatus fromWire(String value) {
        if (value == null) return null;
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst().orElse(UNKNOWN);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
