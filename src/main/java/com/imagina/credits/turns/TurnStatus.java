package com.imagina.credits.turns;

/** AUTHORIZED → SETTLED / VOIDED / EXPIRED; a closed turn never changes again. */
enum TurnStatus {
    AUTHORIZED, SETTLED, VOIDED, EXPIRED;

    public String wireName() {
        return name().toLowerCase();
    }

    public static TurnStatus fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
