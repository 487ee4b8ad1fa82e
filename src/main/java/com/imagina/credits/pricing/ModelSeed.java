package com.imagina.credits.pricing;

/**
 * A model the service starts with: the fields of {@code PUT /api/v1/admin/models/{id}} plus the
 * typical first and follow-up turn that its estimates start from.
 */
public record ModelSeed(
        String id,
        String name,
        String provider,
        String tier,
        boolean creditsOnly,
        boolean isDefault,
        Prices prices,
        int cacheTtlSeconds,
        TokenProfile firstTurn,
        TokenProfile followUp) {}
