package com.imagina.credits.turns;

/** AUTHORIZED → SETTLED / VOIDED / EXPIRED; a closed turn never changes again. */
enum TurnStatus {
    AUTHORIZED, SETTLED, VOIDED, EXPIRED;

    String wireName() {
        return name().toLowerCase();
    }

    static TurnStatus fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
