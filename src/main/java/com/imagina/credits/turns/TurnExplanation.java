package com.imagina.credits.turns;

import com.imagina.credits.pricing.CostBreakdown;
import com.imagina.credits.pricing.CostCalculator;
import com.imagina.credits.pricing.CostParts;
import com.imagina.credits.pricing.CostParts.CacheEffect;
import com.imagina.credits.pricing.CostParts.Part;
import com.imagina.credits.pricing.NormalizedUsage;
import com.imagina.credits.pricing.Prices;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/v1/turns/{turnId}/explanation}: a settled turn's cost rebuilt from what it stored (its
 * normalized usage and the price snapshot it was charged at) through {@link CostCalculator} and
 * {@link CostParts}, with the same facts said in plain words. Money fields ending in {@code Millicredits}
 * are whole millicredits except a part's {@code millicredits}, which is the exact decimal string.
 */
record TurnExplanation(
        String turnId,
        String modelId,
        String fundedBy,
        long costMillicredits,
        long chargedMillicredits,
        long uncollectedMillicredits,
        boolean longContext,
        List<PartView> parts,
        String exactMillicredits,
        long uncachedMillicredits,
        long cacheSavedMillicredits,
        String text) {

    record PartView(String kind, long quantity, String usdPerUnit, String millicredits) {}

    /** What could not be collected from the player, as the settle stored it (never for a free turn). */
    static long uncollectedMillicredits(TurnView turn) {
        return turn.uncollectedMillicredits() == null ? 0 : turn.uncollectedMillicredits();
    }

    static TurnExplanation of(TurnView turn, Prices prices, String modelName) {
        TurnView.NormalizedUsageView n = turn.normalizedUsage();
        NormalizedUsage usage = new NormalizedUsage(n.inputTokens(), n.cacheReadTokens(), n.cacheWriteTokens(),
                n.cacheWrite1hTokens(), n.outputTokens(), n.images(), n.webSearchRequests());
        BigDecimal creditsPerUsd = turn.creditsPerUsd();
        CostBreakdown cost = CostCalculator.cost(usage, prices, creditsPerUsd);
        List<Part> parts = CostParts.of(usage, prices, cost, creditsPerUsd);
        BigDecimal exact = CostParts.exactTotal(parts);
        CacheEffect cache = CostParts.cacheEffect(usage, prices, cost, creditsPerUsd);
        long charged = turn.chargedMillicredits() == null ? 0 : turn.chargedMillicredits();
        long uncollected = uncollectedMillicredits(turn);
        boolean free = FundedBy.FREE_TURN.wireName().equals(turn.fundedBy());
        String text = Words.say(modelName, usage, prices, cost, parts, exact, cache, free, charged, uncollected,
                creditsPerUsd);
        return new TurnExplanation(turn.turnId(), turn.modelId(), turn.fundedBy(), cost.millicredits(), charged,
                uncollected, cost.longContextApplied(),
                parts.stream().map(p -> new PartView(p.kind(), p.quantity(), plain(p.usdPerUnit()),
                        plain(p.millicredits()))).toList(),
                plain(exact), cache.uncachedMillicredits(), cache.uncachedMillicredits() - cost.millicredits(), text);
    }

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    /** The plain-words version: one sentence a line. */
    static final class Words {
        private Words() {}

        static String say(String modelName, NormalizedUsage usage, Prices prices, CostBreakdown cost, List<Part> parts,
                BigDecimal exact, CacheEffect cache, boolean free, long charged, long uncollected,
                BigDecimal creditsPerUsd) {
            List<String> lines = new ArrayList<>();
            lines.add("This turn on " + modelName + " was priced at the model's prices when it was settled ($1 = "
                    + number(creditsPerUsd) + " credits).");
            if (parts.isEmpty()) {
                lines.add("It used nothing that is charged.");
            }
            for (Part p : parts) {
                lines.add(part(p) + ": " + credits(p.millicredits()) + " credits.");
            }
            if (cost.longContextApplied()) {
                lines.add("Long context: the whole prompt was " + count(usage.promptTokens())
                        + " tokens, above the model's " + count(prices.longContext().aboveInputTokens())
                        + "-token threshold, so every token of this turn was priced at the long-context rates.");
            } else if (prices.longContext() != null) {
                lines.add("The prompt (" + count(usage.promptTokens()) + " tokens) was not above the "
                        + count(prices.longContext().aboveInputTokens())
                        + "-token long-context threshold, so the base rates applied.");
            }
            BigDecimal rounded = BigDecimal.valueOf(cost.millicredits());
            if (exact.compareTo(rounded) == 0) {
                lines.add("Together exactly " + creditsOf(cost.millicredits()) + " credits; nothing to round.");
            } else {
                lines.add("Together " + credits(exact) + " credits, rounded half-up once to the millicredit: "
                        + creditsOf(cost.millicredits()) + " credits.");
            }
            if (usage.cacheReadTokens() > 0) {
                lines.add(count(usage.cacheReadTokens()) + " tokens read from cache saved "
                        + credits(cache.readsSavedMillicredits()) + " credits against sending them uncached.");
            }
            long written = usage.cacheWriteTokens() + usage.cacheWrite1hTokens();
            if (written > 0) {
                BigDecimal extra = cache.writesExtraMillicredits();
                lines.add(extra.signum() >= 0
                        ? "Writing " + count(written) + " tokens to the cache cost " + credits(extra)
                                + " credits more than sending them uncached; later turns read them at the cache rate."
                        : "Writing " + count(written) + " tokens to the cache cost " + credits(extra.negate())
                                + " credits less than sending them uncached.");
            }
            if (usage.cacheReadTokens() > 0 || written > 0) {
                long saved = cache.uncachedMillicredits() - cost.millicredits();
                lines.add("The same turn without the cache would have cost " + creditsOf(cache.uncachedMillicredits())
                        + " credits" + (saved > 0 ? ": the cache saved " + creditsOf(saved) + " credits."
                                : saved < 0 ? ": the cache cost " + creditsOf(-saved) + " credits more this time."
                                        : ", the same."));
            }
            if (free) {
                lines.add("This was a free turn: you were charged nothing. It would have cost "
                        + creditsOf(cost.millicredits()) + " credits.");
            } else {
                lines.add("Charged: " + creditsOf(charged) + " credits.");
                if (uncollected > 0) {
                    lines.add(creditsOf(uncollected) + " credits of the cost could not be collected from your balance"
                            + " and were not charged.");
                }
            }
            return String.join("\n", lines);
        }

        private static String part(Part p) {
            String q = count(p.quantity());
            return switch (p.kind()) {
                case CostParts.INPUT -> q + " new tokens at " + perMillion(p.usdPerUnit());
                case CostParts.CACHE_READ -> q + " tokens read from cache at " + perMillion(p.usdPerUnit());
                case CostParts.CACHE_WRITE -> q + " tokens written to the cache (5 minutes) at "
                        + perMillion(p.usdPerUnit());
                case CostParts.CACHE_WRITE_1H -> q + " tokens written to the cache (1 hour) at "
                        + perMillion(p.usdPerUnit());
                case CostParts.OUTPUT -> q + " output tokens at " + perMillion(p.usdPerUnit());
                case CostParts.IMAGE -> q + (p.quantity() == 1 ? " image" : " images") + " at " + dollars(p.usdPerUnit())
                        + " $ each";
                case CostParts.WEB_SEARCH -> q + (p.quantity() == 1 ? " web search" : " web searches") + " at "
                        + dollars(p.usdPerUnit()) + " $ each";
                default -> q + " " + p.kind();
            };
        }

        static String count(long n) {
            return String.format(Locale.ROOT, "%,d", n);
        }

        /** "3.00 $/M": at least two decimals, more only where the price has them. */
        static String perMillion(BigDecimal usd) {
            return dollars(usd) + " $/M";
        }

        static String dollars(BigDecimal usd) {
            BigDecimal p = usd.stripTrailingZeros();
            return (p.scale() < 2 ? p.setScale(2, RoundingMode.UNNECESSARY) : p).toPlainString();
        }

        /** Exact millicredits as credits, grouped, without trailing zeros: 2200 → "2.2", 15 → "0.015". */
        static String credits(BigDecimal millicredits) {
            return number(millicredits.movePointLeft(3));
        }

        /** An exact decimal, grouped, without trailing zeros. */
        static String number(BigDecimal value) {
            BigDecimal c = value.stripTrailingZeros();
            if (c.scale() < 0) {
                c = c.setScale(0, RoundingMode.UNNECESSARY);
            }
            String sign = c.signum() < 0 ? "-" : "";
            c = c.abs();
            BigDecimal whole = c.setScale(0, RoundingMode.DOWN);
            String fraction = c.subtract(whole).toPlainString();
            return sign + String.format(Locale.ROOT, "%,d", whole.toBigIntegerExact())
                    + (fraction.equals("0") ? "" : fraction.substring(1));
        }

        /** Whole millicredits as the dashboard shows them: 22020 → "22.020". */
        static String creditsOf(long millicredits) {
            String sign = millicredits < 0 ? "-" : "";
            long abs = Math.abs(millicredits);
            return sign + String.format(Locale.ROOT, "%,d.%03d", abs / 1000, abs % 1000);
        }
    }
}
