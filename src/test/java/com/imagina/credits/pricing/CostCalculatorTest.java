package com.imagina.credits.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
    private static final BigDecimal CREDITS_PER_USD = new BigDecimal("1000");

    /** Claude Sonnet 4.5 list prices, typed here rather than taken from the seed catalog. */
    private static final Prices SONNET = new Prices(usd("3"), usd("0.30"), usd("3.75"), usd("6"), usd("15"), null,
            usd("0.01"), new Prices.LongContextPrices(200_000, usd("6"), usd("0.60"), usd("7.50"), usd("12"),
                    usd("22.50")));

    @Test
    void theBreakdownShowsEachComponentExactly() {
        CostBreakdown cost = CostCalculator.cost(new NormalizedUsage(1200, 100, 7800, 10, 450, 0, 2), SONNET,
                CREDITS_PER_USD);
        assertThat(cost.inputUsd()).isEqualByComparingTo("0.0036"); // 1200 x 3 / 1e6
        assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.00003"); // 100 x 0.30 / 1e6
        assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.02925"); // 7800 x 3.75 / 1e6
        assertThat(cost.cacheWrite1hUsd()).isEqualByComparingTo("0.00006"); // 10 x 6 / 1e6
        assertThat(cost.outputUsd()).isEqualByComparingTo("0.00675"); // 450 x 15 / 1e6
        assertThat(cost.imagesUsd()).isEqualByComparingTo("0");
        assertThat(cost.webSearchUsd()).isEqualByComparingTo("0.02"); // 2 x 0.01
        assertThat(cost.exactUsd()).isEqualByComparingTo("0.05969"); // 0.0036 + 0.00003 + 0.02925 + 0.00006 + 0.00675 + 0.02
        assertThat(cost.millicredits()).isEqualTo(59_690);
        assertThat(cost.longContextApplied()).isFalse();
        assertThat(cost.ratesApplied()).isEqualTo(new TokenRates(usd("3"), usd("0.30"), usd("3.75"), usd("6"),
                usd("15")));
    }

    @Test
    void aboveTheThresholdTheTierRatesAreReported() {
        CostBreakdown cost = CostCalculator.cost(new NormalizedUsage(200_001, 0, 0, 0, 0, 0, 0), SONNET,
                CREDITS_PER_USD);
        assertThat(cost.longContextApplied()).isTrue();
        assertThat(cost.ratesApplied()).isEqualTo(new TokenRates(usd("6"), usd("0.60"), usd("7.50"), usd("12"),
                usd("22.50")));
        assertThat(cost.millicredits()).isEqualTo(1_200_006); // 200001 x 6
    }

    @Test
    void aTierRateLeftOutFallsBackToTheBaseRate() {
        // Only reachable for prices stored before PricesValidator required the tier's rates.
        Prices partialTier = new Prices(usd("3"), usd("0.30"), usd("3.75"), usd("6"), usd("15"), null, null,
                new Prices.LongContextPrices(100, usd("6"), null, null, null, null));
        TokenRates rates = TokenRates.forPrompt(partialTier, 101);
        assertThat(rates).isEqualTo(new TokenRates(usd("6"), usd("0.30"), usd("3.75"), usd("6"), usd("15")));
    }

    @Test
    void theTiersOneHourRateFallsBackToTheTiersFiveMinuteRateFirst() {
        Prices tierWithoutOneHour = new Prices(usd("3"), usd("0.30"), usd("3.75"), usd("6"), usd("15"), null, null,
                new Prices.LongContextPrices(100, usd("6"), usd("0.60"), usd("7.50"), null, usd("22.50")));
        assertThat(TokenRates.forPrompt(tierWithoutOneHour, 101).cacheWrite1hUsdPerMTok()).isEqualByComparingTo("7.50");
        assertThat(TokenRates.forPrompt(tierWithoutOneHour, 100).cacheWrite1hUsdPerMTok()).isEqualByComparingTo("6");
    }

    @Test
    void holdIsExpectedInputAtTheInputRatePlusMaximumOutputAtTheOutputRate() {
        // 6000 x 3 = 18000; 1024 x 15 = 15360
        assertThat(CostCalculator.holdMillicredits(SONNET, 6000, 1024, 0, CREDITS_PER_USD)).isEqualTo(33_360);
    }

    @Test
    void holdUsesTheLongContextTierOnlyAboveTheThreshold() {
        // at: 200000 x 3 + 1000 x 15 = 615000; above: 200001 x 6 + 1000 x 22.50 = 1222506
        assertThat(CostCalculator.holdMillicredits(SONNET, 200_000, 1000, 0, CREDITS_PER_USD)).isEqualTo(615_000);
        assertThat(CostCalculator.holdMillicredits(SONNET, 200_001, 1000, 0, CREDITS_PER_USD)).isEqualTo(1_222_506);
    }

    @Test
    void holdAddsImagesAndRoundsHalfUp() {
        Prices image = new Prices(usd("0.30"), usd("0.03"), usd("0.30"), null, usd("2.50"), usd("0.039"), null, null);
        // 100 x 0.30 = 30; 2 x 0.039 = 78000
        assertThat(CostCalculator.holdMillicredits(image, 100, 0, 2, CREDITS_PER_USD)).isEqualTo(78_030);
        // 5 x 0.30 = 1.5 -> 2; 1 x 0.30 = 0.3 -> 0
        assertThat(CostCalculator.holdMillicredits(image, 5, 0, 0, CREDITS_PER_USD)).isEqualTo(2);
        assertThat(CostCalculator.holdMillicredits(image, 1, 0, 0, CREDITS_PER_USD)).isZero();
    }

    @Test
    void theLargestAcceptedUsageAtTheHighestAcceptedPricesIsRefusedWithACodeNotAnOverflow() {
        BigDecimal max = usd("100000");
        Prices expensive = new Prices(max, max, max, max, max, max, max, null);
        long m = 10_000_000L;
        // tokens: 5 kinds x 1e7 x 1e5 / 1e6 = 5e6 USD; images and searches: 2 x 1e7 x 1e5 = 2e12 USD
        assertThatThrownBy(() -> CostCalculator.cost(new NormalizedUsage(m, m, m, m, m, m, m), expensive,
                CREDITS_PER_USD))
                .isInstanceOfSatisfying(com.imagina.credits.system.ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("amount_out_of_range"));
        // The largest token-only turn fits: 5e6 USD = 5e12 millicredits, far under the limit.
        CostBreakdown tokens = CostCalculator.cost(new NormalizedUsage(m, m, m, m, m, 0, 0), expensive, CREDITS_PER_USD);
        assertThat(tokens.millicredits()).isEqualTo(5_000_000_000_000L);
        // Exactly at the limit is allowed: 1e15 millicredits = 1e9 USD = 10,000 images at 100,000 USD.
        CostBreakdown atLimit = CostCalculator.cost(new NormalizedUsage(0, 0, 0, 0, 0, 10_000, 0), expensive,
                CREDITS_PER_USD);
        assertThat(atLimit.millicredits()).isEqualTo(CostCalculator.MAX_COST_MILLICREDITS);
    }

    @Test
    void refusesNegativeCountsAndNonsenseExchangeRates() {
        assertThatThrownBy(() -> CostCalculator.cost(new NormalizedUsage(0, -1, 0, 0, 0, 0, 0), SONNET,
                CREDITS_PER_USD)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CostCalculator.holdMillicredits(SONNET, -5, 0, 0, CREDITS_PER_USD))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CostCalculator.cost(new NormalizedUsage(1, 0, 0, 0, 0, 0, 0), SONNET, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CostCalculator.cost(new NormalizedUsage(1, 0, 0, 0, 0, 0, 0), SONNET, BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStoredPriceWithoutARequiredRateIsAServerError() {
        Prices broken = new Prices(usd("3"), usd("0.30"), usd("3.75"), null, null, null, null, null);
        assertThatThrownBy(() -> CostCalculator.cost(new NormalizedUsage(1, 0, 0, 0, 0, 0, 0), broken, CREDITS_PER_USD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prices.outputUsdPerMTok");
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }
}
