package com.imagina.credits.pricing;

import java.math.BigDecimal;

/**
 * The five per-token rates (USD per million tokens) one request is charged at, after the
 * fallbacks: a missing 1-hour cache-write rate is the 5-minute one, and the long-context tier
 * inherits any rate it leaves out.
 */
record TokenRates(
        BigDecimal inputUsdPerMTok,
        BigDecimal cacheReadUsdPerMTok,
        BigDecimal cacheWriteUsdPerMTok,
        BigDecimal cacheWrite1hUsdPerMTok,
        BigDecimal outputUsdPerMTok) {

    /** The contract's rule: the tier applies when the whole prompt is strictly above its threshold. */
    static boolean longContextApplies(Prices prices, long promptTokens) {
        return prices.longContext() != null && promptTokens > prices.longContext().aboveInputTokens();
    }

    /** The rates for a request whose whole prompt is {@code promptTokens}. */
    static TokenRates forPrompt(Prices prices, long promptTokens) {
        TokenRates base = base(prices);
        return longContextApplies(prices, promptTokens) ? longContext(prices.longContext(), base) : base;
    }

    static TokenRates base(Prices prices) {
        BigDecimal cacheWrite = required(prices.cacheWriteUsdPerMTok(), "cacheWriteUsdPerMTok");
        return new TokenRates(
                required(prices.inputUsdPerMTok(), "inputUsdPerMTok"),
                required(prices.cacheReadUsdPerMTok(), "cacheReadUsdPerMTok"),
                cacheWrite,
                orElse(prices.cacheWrite1hUsdPerMTok(), cacheWrite),
                required(prices.outputUsdPerMTok(), "outputUsdPerMTok"));
    }

    /**
     * {@link PricesValidator} requires the tier's input, cache-read, cache-write and output rates, so
     * the fallback to the base rate only covers prices stored before that rule; it keeps such a turn
     * settleable instead of failing it. The tier's 1-hour write falls back to the tier's 5-minute
     * write first, as at the base level.
     */
    private static TokenRates longContext(Prices.LongContextPrices tier, TokenRates base) {
        BigDecimal cacheWrite = orElse(tier.cacheWriteUsdPerMTok(), base.cacheWriteUsdPerMTok());
        BigDecimal cacheWrite1h = tier.cacheWrite1hUsdPerMTok() != null ? tier.cacheWrite1hUsdPerMTok()
                : tier.cacheWriteUsdPerMTok() != null ? tier.cacheWriteUsdPerMTok()
                : base.cacheWrite1hUsdPerMTok();
        return new TokenRates(
                orElse(tier.inputUsdPerMTok(), base.inputUsdPerMTok()),
                orElse(tier.cacheReadUsdPerMTok(), base.cacheReadUsdPerMTok()),
                cacheWrite,
                cacheWrite1h,
                orElse(tier.outputUsdPerMTok(), base.outputUsdPerMTok()));
    }

    private static BigDecimal required(BigDecimal rate, String field) {
        if (rate == null) {
            // Validated prices always have it: a null here is a stored-data bug, not a client error.
            throw new IllegalStateException("prices." + field + " is missing");
        }
        return rate;
    }

    private static BigDecimal orElse(BigDecimal rate, BigDecimal fallback) {
        return rate != null ? rate : fallback;
    }
}
