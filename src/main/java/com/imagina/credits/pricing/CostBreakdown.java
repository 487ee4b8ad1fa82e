package com.imagina.credits.pricing;

import java.math.BigDecimal;

/**
 * What one usage cost and why: the charged {@code millicredits} (rounded once, half-up), the exact
 * unrounded USD it came from, the rates applied and each component's exact USD share, so a
 * settled turn can be explained and recomputed line by line.
 */
public record CostBreakdown(
        long millicredits,
        BigDecimal exactUsd,
        boolean longContextApplied,
        TokenRates ratesApplied,
        BigDecimal inputUsd,
        BigDecimal cacheReadUsd,
        BigDecimal cacheWriteUsd,
        BigDecimal cacheWrite1hUsd,
        BigDecimal outputUsd,
        BigDecimal imagesUsd,
        BigDecimal webSearchUsd) {}
