package com.imagina.credits.payments;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Stripe event types payments act on; every other type is stored and ignored. The wire name is
 * Stripe's {@code type} (and what {@code stripe_events.type} holds, for any type): it is mapped only where
 * an event arrives ({@link StripeWebhooks}) or where this service writes one it simulates.
 */
enum StripeEventType {
    CHECKOUT_SESSION_COMPLETED("checkout.session.completed"),
    CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED("checkout.session.async_payment_succeeded"),
    CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED("checkout.session.async_payment_failed"),
    CHECKOUT_SESSION_EXPIRED("checkout.session.expired"),
    CHARGE_REFUNDED("charge.refunded"),
    CHARGE_DISPUTE_CREATED("charge.dispute.created"),
    CHARGE_DISPUTE_UPDATED("charge.dispute.updated"),
    CHARGE_DISPUTE_CLOSED("charge.dispute.closed");

    private final String wireName;

    StripeEventType(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** Empty for a type payments do not handle (it is recorded as {@code ignored}). */
    static Optional<StripeEventType> fromWire(String type) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(type)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
