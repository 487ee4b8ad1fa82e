package com.imagina.credits.payments;

import java.util.Arrays;

/**
 * A checkout session's state: OPEN → PENDING (paid asynchronously) → PAID, or REVIEW (paid but not as
 * offered: nothing granted), EXPIRED, FAILED. The wire name is what the JSON answers and
 * {@code checkout_sessions.status} holds; it is mapped only where a session row is read or written.
 */
enum SessionStatus {
    OPEN, PENDING, PAID, REVIEW, EXPIRED, FAILED;

    String wireName() {
        return name().toLowerCase();
    }

    /** Still waiting for the payment: an expiry or a failure may close it. */
    boolean awaitingPayment() {
        return this == OPEN || this == PENDING;
    }

    static SessionStatus fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown checkout session status '" + value + "'."));
    }

    @Override
    public String toString() {
        return wireName();
    }
}
