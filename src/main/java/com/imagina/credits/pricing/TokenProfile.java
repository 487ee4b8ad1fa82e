package com.imagina.credits.pricing;

/** The usage of one typical turn, the prior an estimate starts from before real turns calibrate it. */
public record TokenProfile(
        long inputTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        long cacheWrite1hTokens,
        long outputTokens,
        long images) {

    public NormalizedUsage toUsage() {
        return new NormalizedUsage(inputTokens, cacheReadTokens, cacheWriteTokens, cacheWrite1hTokens, outputTokens,
                images, 0);
    }
}
