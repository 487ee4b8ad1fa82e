package com.imagina.credits.turns;

import com.imagina.credits.pricing.NormalizedUsage;
import java.math.BigDecimal;

/** Everything a settlement records so that its cost can be recomputed and explained later. */
record SettledUsage(String rawUsageJson, NormalizedUsage usage, String pricesJson, int priceVersion,
        BigDecimal creditsPerUsd, long costMillicredits) {}
