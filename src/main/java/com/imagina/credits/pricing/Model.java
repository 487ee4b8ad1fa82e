package com.imagina.credits.pricing;

/** A model of the catalog with its current prices; {@code priceVersion} grows with each price change. */
public record Model(
        String id,
        String name,
        String provider,
        String tier,
        boolean creditsOnly,
        boolean isDefault,
        Prices prices,
        int cacheTtlSeconds,
        int priceVersion) {}
