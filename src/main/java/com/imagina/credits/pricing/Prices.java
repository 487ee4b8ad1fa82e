package com.imagina.credits.pricing;

import java.math.BigDecimal;

/**
 * A model's list prices in USD: per million tokens, per image, per web-search request. Serialized as
 * decimal strings (see {@code JsonConfig}); {@code BigDecimal} so no binary rounding ever touches money.
 * {@code cacheWrite1hUsdPerMTok} falls back to {@code cacheWriteUsdPerMTok}; {@code usdPerWebSearch}
 * to 0; {@code longContext} is optional.
 */
public record Prices(
        BigDecimal inputUsdPerMTok,
        BigDecimal cacheReadUsdPerMTok,
        BigDecimal cacheWriteUsdPerMTok,
        BigDecimal cacheWrite1hUsdPerMTok,
        BigDecimal outputUsdPerMTok,
        BigDecimal usdPerImage,
        BigDecimal usdPerWebSearch,
        LongContextPrices longContext) {

    /** The tier used for a request whose whole prompt is above {@code aboveInputTokens}. */
    public record LongContextPrices(
            long aboveInputTokens,
            BigDecimal inputUsdPerMTok,
            BigDecimal cacheReadUsdPerMTok,
            BigDecimal cacheWriteUsdPerMTok,
            BigDecimal cacheWrite1hUsdPerMTok,
            BigDecimal outputUsdPerMTok) {}
}
