package com.imagina.credits.turns;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * {@code GET /api/v1/turns/{turnId}}: the turn, and once settled everything that explains its cost —
 * the usage as sent, the usage in the contract's terms, and the prices it was charged at.
 */
record TurnView(
        String turnId,
        String accountId,
        String journeyId,
        String worldId,
        String modelId,
        String purpose,
        String fundedBy,
        String status,
        long holdMillicredits,
        Instant createdAt,
        Instant expiresAt,
        Instant closedAt,
        JsonNode usage,
        NormalizedUsageView normalizedUsage,
        JsonNode prices,
        Integer priceVersion,
        BigDecimal creditsPerUsd,
        Long costMillicredits,
        Long chargedMillicredits,
        Long uncollectedMillicredits) {

    record NormalizedUsageView(long inputTokens, long cacheReadTokens, long cacheWriteTokens,
            long cacheWrite1hTokens, long outputTokens, long images, long webSearchRequests) {}
}
