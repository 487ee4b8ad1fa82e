package com.imagina.credits.payments;

import java.util.Arrays;

/**
 * Where a checkout session row came from: made with Stripe, simulated here (no Stripe key), or first heard
 * of in a webhook. The wire name is what {@code checkout_sessions.source} holds (its check constraint, V20,
 * names the same three); mapped only where a session row is read or written.
 */
enum SessionSource {
    STRIPE, SIMULATED, WEBHOOK;

    String wireName() {
        return name().toLowerCase();
    }

    static SessionSource fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown checkout session source '" + value + "'."));
    }

    @Override
    public String toString() {
        return wireName();
    }
}
