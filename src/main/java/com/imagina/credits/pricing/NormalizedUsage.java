package com.imagina.credits.pricing;

/**
 * Usage in the contract's own terms, whatever the provider's shape was: {@code inputTokens} is
 * uncached input only (Gemini tool-use prompt tokens included), cache writes split by TTL,
 * {@code outputTokens} everything billed at the output rate (reasoning and thoughts included).
 */
public record NormalizedUsage(
        long inputTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        long cacheWrite1hTokens,
        long outputTokens,
        long images,
        long webSearchRequests) {

    /** The whole prompt of the request, which decides the long-context tier. */
    public long promptTokens() {
        return inputTokens + cacheReadTokens + cacheWriteTokens + cacheWrite1hTokens;
    }
}
