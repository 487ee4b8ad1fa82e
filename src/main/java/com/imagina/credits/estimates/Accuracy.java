package com.imagina.credits.estimates;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How close stored estimates came to real costs over a set of settled play turns: {@code turns} counted,
 * {@code medianAbsPercentError} the median (percentile_disc: a real turn's error, the lower middle for an
 * even count) of |cost − estimate| / cost in percent, half-up to 0.1 (turns that cost 0 have no percentage
 * and are left out of it; null when none is left), and {@code withinRangeShare} the share of turns whose
 * cost lay within the low–high band shown, half-up to 0.001.
 */
record Accuracy(int turns, BigDecimal medianAbsPercentError, BigDecimal withinRangeShare) {

    static Accuracy of(int turns, BigDecimal medianAbsPercent, long within) {
        return new Accuracy(turns, medianAbsPercent == null ? null : medianAbsPercent.setScale(1, RoundingMode.HALF_UP),
                turns == 0 ? null : BigDecimal.valueOf(within).divide(BigDecimal.valueOf(turns), 3, RoundingMode.HALF_UP));
    }

    /** The SQL aggregates over a row set with {@code cost}, {@code estimate}, {@code low}, {@code high}. */
    static final String AGGREGATES = """
            count(*) as turns,
            percentile_disc(0.5) within group (order by abs(cost - estimate) * 100.0 / nullif(cost, 0)) as median_ape,
            count(*) filter (where cost between low and high) as within""";
}
