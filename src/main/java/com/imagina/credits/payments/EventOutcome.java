package com.imagina.credits.payments;

/**
 * What processing one Stripe event did, as stored with the event: a one-word {@code code}
 * ({@code granted}, {@code already_granted}, {@code awaiting_payment}, {@code review},
 * {@code refunded}, {@code unknown_payment}, {@code ignored}...) and a sentence for support.
 */
record EventOutcome(String code, String detail, String sessionId, String paymentIntent) {

    static EventOutcome ignored(String type) {
        return new EventOutcome("ignored", "Event type " + type + " is not handled.", null, null);
    }
}
