package com.imagina.credits.pricing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A cost as the player reads it: one part per kind of usage with its quantity, the price it was charged
 * at and its exact (unrounded) millicredits, taken from {@link CostCalculator}'s own breakdown so the
 * parts are the formula's components, not a second formula. The exact parts add up to the breakdown's
 * exact total, which rounded half-up once is the charge. Parts with a zero quantity are left out (they
 * add nothing).
 */
public final class CostParts {
    public static final String INPUT = "input";
    public static final String CACHE_READ = "cache_read";
    public static final String CACHE_WRITE = "cache_write";
    public static final String CACHE_WRITE_1H = "cache_write_1h";
    public static final String OUTPUT = "output";
    public static final String IMAGE = "image";
    public static final String WEB_SEARCH = "web_search";

    private CostParts() {}

    /**
     * @param usdPerUnit USD per million tokens for token kinds, per image or per search for units
     * @param millicredits the part's exact value, unrounded
     */
    public record Part(String kind, long quantity, BigDecimal usdPerUnit, BigDecimal millicredits) {
        boolean perMillionTokens() {
            return !IMAGE.equals(kind) && !WEB_SEARCH.equals(kind);
        }
    }

    /** What a turn would have cost without the provider's cache, and how reads and writes moved it. */
    public record CacheEffect(long uncachedMillicredits, BigDecimal readsSavedMillicredits,
            BigDecimal writesExtraMillicredits) {}

    public static List<Part> of(NormalizedUsage usage, Prices prices, CostBreakdown cost, BigDecimal creditsPerUsd) {
        TokenRates rates = cost.ratesApplied();
        List<Part> parts = new ArrayList<>();
        add(parts, INPUT, usage.inputTokens(), rates.inputUsdPerMTok(), cost.inputUsd(), creditsPerUsd);
        add(parts, CACHE_READ, usage.cacheReadTokens(), rates.cacheReadUsdPerMTok(), cost.cacheReadUsd(), creditsPerUsd);
        add(parts, CACHE_WRITE, usage.cacheWriteTokens(), rates.cacheWriteUsdPerMTok(), cost.cacheWriteUsd(),
                creditsPerUsd);
        add(parts, CACHE_WRITE_1H, usage.cacheWrite1hTokens(), rates.cacheWrite1hUsdPerMTok(), cost.cacheWrite1hUsd(),
                creditsPerUsd);
        add(parts, OUTPUT, usage.outputTokens(), rates.outputUsdPerMTok(), cost.outputUsd(), creditsPerUsd);
        add(parts, IMAGE, usage.images(), orZero(prices.usdPerImage()), cost.imagesUsd(), creditsPerUsd);
        add(parts, WEB_SEARCH, usage.webSearchRequests(), orZero(prices.usdPerWebSearch()), cost.webSearchUsd(),
                creditsPerUsd);
        return parts;
    }

    /** The exact sum of the parts (what {@link CostCalculator} rounds once). */
    public static BigDecimal exactTotal(List<Part> parts) {
        return parts.stream().map(Part::millicredits).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * The same turn without the cache: every prompt token sent as plain input (same prompt size, so the
     * same long-context tier). Reads saved = the turn with its cache reads sent uncached minus the turn;
     * writes extra = the turn minus the turn with its cache writes sent uncached (negative if writing was
     * cheaper). All computed by {@link CostCalculator} on the moved usage.
     */
    public static CacheEffect cacheEffect(NormalizedUsage usage, Prices prices, CostBreakdown cost,
            BigDecimal creditsPerUsd) {
        NormalizedUsage readsUncached = new NormalizedUsage(usage.inputTokens() + usage.cacheReadTokens(), 0,
                usage.cacheWriteTokens(), usage.cacheWrite1hTokens(), usage.outputTokens(), usage.images(),
                usage.webSearchRequests());
        NormalizedUsage writesUncached = new NormalizedUsage(
                usage.inputTokens() + usage.cacheWriteTokens() + usage.cacheWrite1hTokens(), usage.cacheReadTokens(),
                0, 0, usage.outputTokens(), usage.images(), usage.webSearchRequests());
        NormalizedUsage uncached = new NormalizedUsage(usage.promptTokens(), 0, 0, 0, usage.outputTokens(),
                usage.images(), usage.webSearchRequests());
        BigDecimal actual = cost.exactUsd();
        BigDecimal readsSaved = CostCalculator.cost(readsUncached, prices, creditsPerUsd).exactUsd().subtract(actual);
        BigDecimal writesExtra = actual.subtract(CostCalculator.cost(writesUncached, prices, creditsPerUsd).exactUsd());
        return new CacheEffect(CostCalculator.cost(uncached, prices, creditsPerUsd).millicredits(),
                CostCalculator.exactMillicredits(readsSaved, creditsPerUsd),
                CostCalculator.exactMillicredits(writesExtra, creditsPerUsd));
    }

    private static void add(List<Part> parts, String kind, long quantity, BigDecimal usdPerUnit, BigDecimal usd,
            BigDecimal creditsPerUsd) {
        if (quantity > 0) {
            parts.add(new Part(kind, quantity, usdPerUnit, CostCalculator.exactMillicredits(usd, creditsPerUsd)));
        }
    }

    private static BigDecimal orZero(BigDecimal price) {
        return price == null ? BigDecimal.ZERO : price;
    }
}
