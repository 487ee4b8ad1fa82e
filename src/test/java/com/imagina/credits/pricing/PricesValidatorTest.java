package com.imagina.credits.pricing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PricesValidatorTest {
    private static final Prices.LongContextPrices TIER = new Prices.LongContextPrices(200_000, usd("6"), usd("0.60"),
            usd("7.50"), usd("12"), usd("22.50"));

    @Test
    void acceptsFullPricesAndPricesWithOnlyTheRequiredRates() {
        assertThatCode(() -> PricesValidator.validate(new Prices(usd("3"), usd("0.30"), usd("3.75"), usd("6"),
                usd("15"), usd("0.039"), usd("0.01"), TIER))).doesNotThrowAnyException();
        assertThatCode(() -> PricesValidator.validate(new Prices(usd("0"), usd("0"), usd("0"), null, usd("0"), null,
                null, null))).doesNotThrowAnyException();
        assertThatCode(() -> PricesValidator.validate(new Prices(usd("100000.000000000"), usd("1.500000000000"),
                usd("1E+3"), null, usd("15"), null, null, null))).doesNotThrowAnyException();
    }

    static Stream<Arguments> invalidPrices() {
        return Stream.of(
                Arguments.of(null, "prices is required"),
                Arguments.of(prices(null, "15", "0.039", TIER), "prices.inputUsdPerMTok is required"),
                Arguments.of(prices("3", null, null, null), "prices.outputUsdPerMTok is required"),
                Arguments.of(prices("-0.01", "15", null, null), "prices.inputUsdPerMTok (-0.01) must not be negative"),
                Arguments.of(prices("3", "100000.000000001", null, null), "prices.outputUsdPerMTok (100000.000000001) must be at most 100000"),
                Arguments.of(prices("3", "15", "0.0000000001", null),
                        "prices.usdPerImage (0.0000000001) has more than 9 decimal places"),
                Arguments.of(prices("3", "15", "-1", null), "prices.usdPerImage (-1) must not be negative"),
                Arguments.of(prices("3", "15", null, new Prices.LongContextPrices(0, usd("6"), usd("0.60"),
                        usd("7.50"), null, usd("22.50"))), "prices.longContext.aboveInputTokens (0)"),
                Arguments.of(prices("3", "15", null, new Prices.LongContextPrices(10_000_001, usd("6"), usd("0.60"),
                        usd("7.50"), null, usd("22.50"))), "prices.longContext.aboveInputTokens (10000001)"),
                Arguments.of(prices("3", "15", null, new Prices.LongContextPrices(200_000, usd("6"), null,
                        usd("7.50"), null, usd("22.50"))), "prices.longContext.cacheReadUsdPerMTok is required"),
                Arguments.of(prices("3", "15", null, new Prices.LongContextPrices(200_000, usd("6"), usd("0.60"),
                        usd("7.50"), usd("-12"), usd("22.50"))),
                        "prices.longContext.cacheWrite1hUsdPerMTok (-12) must not be negative"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidPrices")
    void refusesPricesThatCannotBeChargedAndNamesTheField(Prices prices, String message) {
        assertThatThrownBy(() -> PricesValidator.validate(prices))
                .isInstanceOf(InvalidPricesException.class)
                .hasMessageContaining(message);
    }

    @Test
    void everySeedModelHasValidPrices() {
        SeedCatalog.models().forEach(m -> assertThatCode(() -> PricesValidator.validate(m.prices()))
                .as(m.id()).doesNotThrowAnyException());
    }

    private static Prices prices(String input, String output, String perImage, Prices.LongContextPrices tier) {
        return new Prices(input == null ? null : usd(input), usd("0.30"), usd("3.75"), null,
                output == null ? null : usd(output), perImage == null ? null : usd(perImage), null, tier);
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }
}
