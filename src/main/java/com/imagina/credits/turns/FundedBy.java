package com.imagina.credits.turns;

import java.util.Arrays;

/**
 * What pays for a turn: one of the day's free turns, or the account's credits. Its wire name is what the
 * JSON answers and {@code turns.funded_by} hold ({@code free_turn}, {@code credits}); it is mapped only
 * where a turn is read or written.
 */
enum FundedBy {
    FREE_TURN, CREDITS;

    String wireName() {
        return name().toLowerCase();
    }

    static FundedBy fromWire(String value) {
        return Arrays.stream(values()).filter(f -> f.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown funded_by '" + value + "'."));
    }
}
