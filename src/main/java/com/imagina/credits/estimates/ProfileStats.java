package com.imagina.credits.estimates;

import com.imagina.credits.pricing.TokenProfile;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** A calibrated phase of one model (in one world or all): median and p10/p90 token profiles. */
record ProfileStats(int samples, TokenProfile p50, TokenProfile p10, TokenProfile p90) {

    /** The same turns in a world whose prompts are {@code factor} times as long: prompt tokens scale. */
    ProfileStats scaled(BigDecimal factor) {
        if (factor.compareTo(BigDecimal.ONE) == 0) {
            return this;
        }
        return new ProfileStats(samples, scale(p50, factor), scale(p10, factor), scale(p90, factor));
    }

    static TokenProfile scale(TokenProfile p, BigDecimal factor) {
        return new TokenProfile(times(p.inputTokens(), factor), times(p.cacheReadTokens(), factor),
                times(p.cacheWriteTokens(), factor), times(p.cacheWrite1hTokens(), factor), p.outputTokens(),
                p.images());
    }

    private static long times(long tokens, BigDecimal factor) {
        return BigDecimal.valueOf(tokens).multiply(factor).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
