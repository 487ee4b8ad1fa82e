package com.imagina.credits.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The kinds of ledger entry, as the contract names them in the transaction history. */
public enum EntryType {
    PURCHASE, TURN, FREE_TURN, WORLD_TEXT, WORLD_IMAGE, REVENUE_SHARE, ADJUSTMENT, REFUND, GRANT, EXPIRY, DISPUTE,
    DISPUTE_REVERSAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static EntryType fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown transaction type '" + value + "'."));
    }
}
