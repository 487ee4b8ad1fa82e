package com.imagina.credits.payments;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What processing one Stripe event did, as stored with the event: a one-word {@link Code} and a sentence
 * for support.
 */
record EventOutcome(Code code, String detail, String sessionId, String paymentIntent) {

    /**
     * The outcome's word, as {@code stripe_events.outcome} holds it and the webhook's answer
     * ({@code outcome}) and an admin refund's {@code outcome} say it; mapped only there.
     */
    enum Code {
        /** Claimed, not finished yet (only inside the event's own transaction). */
        PROCESSING,
        /** The event id was seen before: acknowledged, nothing done (never stored: the first outcome stays). */
        DUPLICATE,
        /** A type not handled, a checkout that is not ours, or a signed event of an odd shape. */
        IGNORED,
        /** The event names no session or dispute id. */
        INVALID_EVENT,
        /** The session's payment failed ({@code async_payment_failed}), or the event could not be processed. */
        FAILED,
        EXPIRED,
        NO_CHANGE,
        ALREADY_GRANTED,
        IN_REVIEW,
        AWAITING_PAYMENT,
        REVIEW,
        GRANTED,
        UNKNOWN_PAYMENT,
        REFUND_RECORDED,
        REFUND_ALREADY_APPLIED,
        REFUNDED,
        DISPUTE_RECORDED,
        DISPUTED,
        DISPUTE_ALREADY_APPLIED,
        NOTHING_TO_TAKE,
        DISPUTE_REVERSED;

        @JsonValue
        String wireName() {
            return name().toLowerCase();
        }

        @Override
        public String toString() {
            return wireName();
        }
    }

    static EventOutcome ignored(String type) {
        return new EventOutcome(Code.IGNORED, "Event type " + type + " is not handled.", null, null);
    }
}
