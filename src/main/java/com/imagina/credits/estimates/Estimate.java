package com.imagina.credits.estimates;

/**
 * What a turn on a model is expected to cost in a world: a first turn (cold provider cache), a
 * follow-up (warm cache), the spread of real turns (p10–p90), how many real turns back it, and
 * whether it was learnt in this {@code world}, on the {@code model} in all worlds, or is the
 * catalog's {@code prior}.
 */
public record Estimate(
        long firstTurnMillicredits,
        long followUpMillicredits,
        long lowMillicredits,
        long highMillicredits,
        int samples,
        String basis) {

    public long headline(boolean cacheWarm) {
        return cacheWarm ? followUpMillicredits : firstTurnMillicredits;
    }
}
