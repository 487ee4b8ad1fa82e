package com.imagina.credits.payments;

/**
 * A credit pack on sale: its price in the currency's minor unit (cents), the credits it grants and the
 * bonus on top, both in millicredits. A purchase grants {@link #totalMillicredits()} as one entry.
 */
record Pack(String id, String name, long priceCents, String currency, long grantMillicredits,
        long bonusMillicredits) {

    long totalMillicredits() {
        return grantMillicredits + bonusMillicredits;
    }
}
