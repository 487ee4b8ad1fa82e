package com.imagina.credits.turns;

import com.imagina.credits.pricing.CostBreakdown;
import com.imagina.credits.pricing.CostCalculator;
import com.imagina.credits.pricing.NormalizedUsage;
import com.imagina.credits.pricing.Prices;
import com.imagina.credits.pricing.UsageNormalizer;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.JsonText;
import com.imagina.credits.system.security.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/turns/{turnId}/cost}: recomputes a settled turn's cost from what it stored —
 * the usage as sent (normalized again) and the price snapshot it was charged at — and explains it line
 * by line. {@code matches} is false only if the stored charge cannot be reproduced, which would be a bug.
 */
@RestController
class CostExplanationController {
    private final TurnStore store;
    private final JsonText text;

    CostExplanationController(TurnStore store, JsonText text) {
        this.text = text;
        this.store = store;
    }

    record CostExplanation(String turnId, long storedCostMillicredits, long recomputedMillicredits,
            long recomputedFromStoredNormalizedMillicredits, boolean matches, NormalizedUsage normalizedUsage,
            Prices prices, CostBreakdown breakdown) {}

    @GetMapping("/api/v1/admin/turns/{turnId}/cost")
    CostExplanation explain(@PathVariable String turnId) {
        Caller.current().requireAdmin();
        TurnView turn = store.view(turnId).orElseThrow(() -> Turn.unknown(turnId));
        if (turn.costMillicredits() == null) {
            throw ApiException.conflict("turn_not_settled", "Turn '" + turnId + "' has no cost yet.");
        }
        Prices prices = text.read(turn.prices(), Prices.class);
        TurnView.NormalizedUsageView n = turn.normalizedUsage();
        NormalizedUsage stored = new NormalizedUsage(n.inputTokens(), n.cacheReadTokens(), n.cacheWriteTokens(),
                n.cacheWrite1hTokens(), n.outputTokens(), n.images(), n.webSearchRequests());
        // Past the retention window the usage as sent is gone (TurnRetention): the stored normalized usage explains it.
        NormalizedUsage fromRaw = turn.usage() == null ? stored : UsageNormalizer.normalize(turn.usage());
        CostBreakdown breakdown = CostCalculator.cost(fromRaw, prices, turn.creditsPerUsd());
        long fromStored = CostCalculator.cost(stored, prices, turn.creditsPerUsd()).millicredits();
        return new CostExplanation(turnId, turn.costMillicredits(), breakdown.millicredits(), fromStored,
                breakdown.millicredits() == turn.costMillicredits() && fromStored == turn.costMillicredits()
                        && fromRaw.equals(stored),
                fromRaw, prices, breakdown);
    }
}
