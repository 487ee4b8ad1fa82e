package com.imagina.credits.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The events the service publishes (API.md v1.1 "Events"). Each is written to the outbox in the
 * transaction of what it reports: {@link Outbox#append} from the money paths, and the triggers on
 * {@code accounts} (V71) for {@code balance.low} and {@code spend_limit.reached}.
 */
public enum EventType {
    PURCHASE_COMPLETED("purchase.completed"),
    REFUND_APPLIED("refund.applied"),
    DISPUTE_OPENED("dispute.opened"),
    DISPUTE_CLOSED("dispute.closed"),
    PAYOUT_CREDITED("payout.credited"),
    GRANT_CREATED("grant.created"),
    GRANT_EXPIRING("grant.expiring"),
    GRANT_EXPIRED("grant.expired"),
    BALANCE_LOW("balance.low"),
    SPEND_LIMIT_REACHED("spend_limit.reached");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
