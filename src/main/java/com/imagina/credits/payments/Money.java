package com.imagina.credits.payments;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/** Minor-unit amounts as people read them in descriptions: {@code 2500, usd} → {@code 25.00 USD}. */
final class Money {
    private Money() {}

    static String format(Long minorUnits, String currency) {
        if (minorUnits == null || currency == null) return String.valueOf(minorUnits);
        String code = currency.toUpperCase(Locale.ROOT);
        int digits = 2;
        try {
            digits = Math.max(0, Currency.getInstance(code).getDefaultFractionDigits());
        } catch (IllegalArgumentException unknown) {
            // keep two decimals
        }
        return BigDecimal.valueOf(minorUnits, digits).toPlainString() + " " + code;
    }
}
