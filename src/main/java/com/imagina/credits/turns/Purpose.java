package com.imagina.credits.turns;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.imagina.credits.ledger.EntryType;
import java.util.Arrays;

/** What a charge is for; it decides whether free turns apply and which ledger entry type it makes. */
enum Purpose {
    PLAY, WORLD_TEXT, WORLD_IMAGE;

    @JsonValue
    String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    static Purpose fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown purpose '" + value + "'."));
    }

    /** The ledger entry a paid charge of this purpose appends. */
    EntryType paidEntryType() {
        return switch (this) {
            case PLAY -> EntryType.TURN;
            case WORLD_TEXT -> EntryType.WORLD_TEXT;
            case WORLD_IMAGE -> EntryType.WORLD_IMAGE;
        };
    }
}
