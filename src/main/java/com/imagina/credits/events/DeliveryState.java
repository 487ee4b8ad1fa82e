package com.imagina.credits.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * A webhook delivery: PENDING → DELIVERED, or FAILED (given up after {@code give-up-after}), or CANCELLED
 * (its endpoint was removed); a resend makes it PENDING again. The wire name is what the delivery log's
 * {@code state} answers and {@code webhook_deliveries.state} holds (its check constraint, V70, names the
 * same four); the statements in {@link Deliveries} and {@link WebhookEndpoints} write them as SQL literals,
 * and the row is mapped here where it is read.
 */
enum DeliveryState {
    PENDING, DELIVERED, FAILED, CANCELLED;

    @JsonValue
    String wireName() {
        return name().toLowerCase();
    }

    static DeliveryState fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown webhook delivery state '" + value + "'."));
    }

    @Override
    public String toString() {
        return wireName();
    }
}
