package com.imagina.credits.pricing;

import java.math.BigDecimal;

/**
 * Checks model prices an admin sends before they are stored, so that every stored price can be
 * charged at. Required: input, cache-read, cache-write and output rates (also inside the
 * long-context tier); optional: the 1-hour cache-write rate (falls back to the 5-minute one), the
 * per-image and per-web-search prices (absent = not charged), the long-context tier. Every amount is
 * at least 0, below 10,000 USD (per million tokens, per image, per search) and has at most 9 decimals.
 */
final class PricesValidator {
    /** No real model is near this; a larger number is a unit mistake (USD per token typed as per MTok). */
    static final BigDecimal MAX_USD = new BigDecimal("100000");
    /** Nano-dollars: finer than any list price, and small enough that costs stay short decimals. */
    static final int MAX_DECIMALS = 9;

    private PricesValidator() {}

    /** @throws InvalidPricesException naming the first offending field, e.g. {@code prices.outputUsdPerMTok} */
    static void validate(Prices prices) {
        if (prices == null) {
            throw new InvalidPricesException("prices is required");
        }
        required(prices.inputUsdPerMTok(), "prices.inputUsdPerMTok");
        required(prices.cacheReadUsdPerMTok(), "prices.cacheReadUsdPerMTok");
        required(prices.cacheWriteUsdPerMTok(), "prices.cacheWriteUsdPerMTok");
        optional(prices.cacheWrite1hUsdPerMTok(), "prices.cacheWrite1hUsdPerMTok");
        required(prices.outputUsdPerMTok(), "prices.outputUsdPerMTok");
        optional(prices.usdPerImage(), "prices.usdPerImage");
        optional(prices.usdPerWebSearch(), "prices.usdPerWebSearch");
        Prices.LongContextPrices tier = prices.longContext();
        if (tier != null) {
            if (tier.aboveInputTokens() <= 0 || tier.aboveInputTokens() > UsageObject.MAX_COUNT) {
                throw new InvalidPricesException("prices.longContext.aboveInputTokens (" + tier.aboveInputTokens()
                        + ") must be greater than 0 and at most " + UsageObject.MAX_COUNT);
            }
            required(tier.inputUsdPerMTok(), "prices.longContext.inputUsdPerMTok");
            required(tier.cacheReadUsdPerMTok(), "prices.longContext.cacheReadUsdPerMTok");
            required(tier.cacheWriteUsdPerMTok(), "prices.longContext.cacheWriteUsdPerMTok");
            optional(tier.cacheWrite1hUsdPerMTok(), "prices.longContext.cacheWrite1hUsdPerMTok");
            required(tier.outputUsdPerMTok(), "prices.longContext.outputUsdPerMTok");
        }
    }

    private static void required(BigDecimal usd, String field) {
        if (usd == null) {
            throw new InvalidPricesException(field + " is required");
        }
        optional(usd, field);
    }

    private static void optional(BigDecimal usd, String field) {
        if (usd == null) {
            return;
        }
        if (usd.signum() < 0) {
            throw new InvalidPricesException(field + " (" + usd.toPlainString() + ") must not be negative");
        }
        if (usd.compareTo(MAX_USD) > 0) {
            throw new InvalidPricesException(field + " (" + usd.toPlainString() + ") must be at most "
                    + MAX_USD.toPlainString() + " USD");
        }
        // Trailing zeros ("1.5000000000") are not extra precision.
        if (usd.stripTrailingZeros().scale() > MAX_DECIMALS) {
            throw new InvalidPricesException(field + " (" + usd.toPlainString() + ") has more than "
                    + MAX_DECIMALS + " decimal places");
        }
    }
}
