package com.imagina.credits.pricing;

/** A model's typical first (cold cache) and follow-up (warm cache) turn in a typical world. */
public record PriorProfile(TokenProfile firstTurn, TokenProfile followUp) {

    /** For a model added without one: ~9k prompt tokens and ~450 output, mostly cached after the first turn. */
    public static final PriorProfile GENERIC = new PriorProfile(
            new TokenProfile(9_000, 0, 0, 0, 450, 0),
            new TokenProfile(600, 8_400, 0, 0, 450, 0));
}
