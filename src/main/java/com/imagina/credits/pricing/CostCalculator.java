package com.imagina.credits.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import com.imagina.credits.system.ApiException;
import org.springframework.http.HttpStatus;

/**
 * The contract's cost formula. Every product and sum is exact {@code BigDecimal}; the only rounding
 * is the final conversion to millicredits, half-up, once per charge, so rounding never compounds
 * across components and a cost can be recomputed from the stored usage and prices to the millicredit.
 */
public final class CostCalculator {
    private static final int TOKENS_PER_MTOK_DIGITS = 6;
    private static final int MILLICREDITS_PER_CREDIT_DIGITS = 3;

    private CostCalculator() {}

    /**
     * @param creditsPerUsd {@code credits.pricing.credits-per-usd} (1000 by default: 1 credit = $0.001)
     */
    /**
     * No single turn or hold may cost more than this (10^15 millicredits: a trillion credits, a billion
     * USD at 1,000 credits per USD). Every price is at most 100,000 USD per unit and every count at most
     * 10^7, so this is far above any real turn; it keeps a turn, its hold and the balance it moves well inside {@code bigint}.
     */
    static final long MAX_COST_MILLICREDITS = 1_000_000_000_000_000L;

    /** A rounded cost in millicredits, or 409 {@code amount_out_of_range} above {@link #MAX_COST_MILLICREDITS}. */
    static long bounded(BigDecimal roundedMillicredits) {
        if (roundedMillicredits.compareTo(BigDecimal.valueOf(MAX_COST_MILLICREDITS)) > 0) {
            throw new ApiException(HttpStatus.CONFLICT, "amount_out_of_range", "This turn would cost "
                    + roundedMillicredits.toPlainString() + " millicredits, above the limit of "
                    + MAX_COST_MILLICREDITS + "; nothing was charged.");
        }
        return roundedMillicredits.longValueExact();
    }

    public static CostBreakdown cost(NormalizedUsage usage, Prices prices, BigDecimal creditsPerUsd) {
        requireUsage(usage);
        requireCreditsPerUsd(creditsPerUsd);
        boolean longContext = TokenRates.longContextApplies(prices, usage.promptTokens());
        TokenRates rates = TokenRates.forPrompt(prices, usage.promptTokens());
        BigDecimal input = tokensUsd(usage.inputTokens(), rates.inputUsdPerMTok());
        BigDecimal cacheRead = tokensUsd(usage.cacheReadTokens(), rates.cacheReadUsdPerMTok());
        BigDecimal cacheWrite = tokensUsd(usage.cacheWriteTokens(), rates.cacheWriteUsdPerMTok());
        BigDecimal cacheWrite1h = tokensUsd(usage.cacheWrite1hTokens(), rates.cacheWrite1hUsdPerMTok());
        BigDecimal output = tokensUsd(usage.outputTokens(), rates.outputUsdPerMTok());
        BigDecimal images = unitsUsd(usage.images(), prices.usdPerImage());
        BigDecimal webSearch = unitsUsd(usage.webSearchRequests(), prices.usdPerWebSearch());
        BigDecimal exactUsd = input.add(cacheRead).add(cacheWrite).add(cacheWrite1h).add(output).add(images)
                .add(webSearch);
        long millicredits = bounded(exactMillicredits(exactUsd, creditsPerUsd).setScale(0, RoundingMode.HALF_UP));
        return new CostBreakdown(millicredits, exactUsd, longContext, rates, input, cacheRead, cacheWrite,
                cacheWrite1h, output, images, webSearch);
    }

    /**
     * The authorize-time hold: the expected input at the input rate (all of it uncached), the maximum
     * output at the output rate and the expected images, with the long-context tier when the expected
     * input is above its threshold. It is the same formula as {@link #cost} on that assumed usage, so
     * it rounds half-up like a charge: the contract points the hold at "the formula below", and a hold
     * for exactly the usage that then happens equals that usage's charge. Rounding up instead would
     * reserve at most one more millicredit, which does not matter because a settle collects from the
     * real usage anyway (bounded by what the account has: see {@code Ledger}'s bounded posting).
     */
    public static long holdMillicredits(Prices prices, long expectedInputTokens, long maxOutputTokens,
            long expectedImages, BigDecimal creditsPerUsd) {
        NormalizedUsage assumed = new NormalizedUsage(expectedInputTokens, 0, 0, 0, maxOutputTokens, expectedImages, 0);
        return cost(assumed, prices, creditsPerUsd).millicredits();
    }

    /** An exact USD amount in millicredits, unrounded: the one conversion every cost and part goes through. */
    static BigDecimal exactMillicredits(BigDecimal usd, BigDecimal creditsPerUsd) {
        return usd.multiply(creditsPerUsd).movePointRight(MILLICREDITS_PER_CREDIT_DIGITS);
    }

    private static BigDecimal tokensUsd(long tokens, BigDecimal usdPerMTok) {
        return BigDecimal.valueOf(tokens).multiply(usdPerMTok).movePointLeft(TOKENS_PER_MTOK_DIGITS);
    }

    /** Per-image and per-search prices are optional: absent means the model does not charge for them. */
    private static BigDecimal unitsUsd(long units, BigDecimal usdPerUnit) {
        return usdPerUnit == null ? BigDecimal.ZERO : BigDecimal.valueOf(units).multiply(usdPerUnit);
    }

    private static void requireUsage(NormalizedUsage u) {
        if (u.inputTokens() < 0 || u.cacheReadTokens() < 0 || u.cacheWriteTokens() < 0 || u.cacheWrite1hTokens() < 0
                || u.outputTokens() < 0 || u.images() < 0 || u.webSearchRequests() < 0) {
            throw new IllegalArgumentException("usage counts must not be negative: " + u);
        }
    }

    private static void requireCreditsPerUsd(BigDecimal creditsPerUsd) {
        if (creditsPerUsd == null || creditsPerUsd.signum() <= 0) {
            throw new IllegalArgumentException("credits per USD must be a positive number, not " + creditsPerUsd);
        }
    }
}
