package com.imagina.credits.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The cost formula against an independent oracle: prices are drawn as whole nano-dollars and the
 * expected millicredits are computed in {@link BigInteger} units of 1e-15 USD with integer
 * half-up division, sharing no code with {@link CostCalculator}.
 */
class CostProperties {
    private static final long MAX_COUNT = 10_000_000;
    /** Just under 10,000 USD in nano-dollars, the validator's upper bound. */
    private static final long MAX_NANOS = 9_999_999_999_999L;
    private static final BigInteger FEMTO_PER_UNIT = BigInteger.TEN.pow(15);
    private static final BigInteger MICRO = BigInteger.TEN.pow(6);

    /** Rates in nano-USD per MTok (per image / per search for the last two); a null is "not set". */
    record Tier(long above, long input, long cacheRead, long cacheWrite, Long cacheWrite1h, long output) {}

    record PriceNanos(long input, long cacheRead, long cacheWrite, Long cacheWrite1h, long output, Long perImage,
            Long perSearch, Tier tier) {

        Prices toPrices() {
            Prices.LongContextPrices longContext = tier == null ? null : new Prices.LongContextPrices(tier.above(),
                    usd(tier.input()), usd(tier.cacheRead()), usd(tier.cacheWrite()), usd(tier.cacheWrite1h()),
                    usd(tier.output()));
            return new Prices(usd(input), usd(cacheRead), usd(cacheWrite), usd(cacheWrite1h), usd(output),
                    usd(perImage), usd(perSearch), longContext);
        }

        private static BigDecimal usd(Long nanos) {
            return nanos == null ? null : BigDecimal.valueOf(nanos, 9);
        }
    }

    @Property
    void costEqualsAnIndependentExactComputationRoundedHalfUp(@ForAll("prices") PriceNanos p,
            @ForAll("usages") NormalizedUsage u, @ForAll @LongRange(min = 1, max = 10_000_000) long creditsPerUsdMilli) {
        BigDecimal creditsPerUsd = BigDecimal.valueOf(creditsPerUsdMilli, 3);
        assertThat(CostCalculator.cost(u, p.toPrices(), creditsPerUsd).millicredits())
                .isEqualTo(oracleMillicredits(p, u, creditsPerUsdMilli));
    }

    @Property
    void costNeverFallsWhenAnyCountGrows(@ForAll("risingPrices") PriceNanos p, @ForAll("usages") NormalizedUsage u,
            @ForAll @IntRange(min = 0, max = 6) int field, @ForAll @LongRange(min = 0, max = MAX_COUNT) long more) {
        Prices prices = p.toPrices();
        BigDecimal creditsPerUsd = BigDecimal.valueOf(1000);
        long before = CostCalculator.cost(u, prices, creditsPerUsd).millicredits();
        long after;
        try {
            after = CostCalculator.cost(grow(u, field, more), prices, creditsPerUsd).millicredits();
        } catch (com.imagina.credits.system.ApiException tooMuch) {
            // Grown past the limit of one turn: refused (409), which is "more" too, never an overflow.
            assertThat(tooMuch.code()).isEqualTo("amount_out_of_range");
            return;
        }
        assertThat(after).isGreaterThanOrEqualTo(before);
    }

    /** Expected millicredits = round-half-up(femtoUsd x creditsPerUsdMilli / 1e15). */
    static long oracleMillicredits(PriceNanos p, NormalizedUsage u, long creditsPerUsdMilli) {
        long prompt = u.inputTokens() + u.cacheReadTokens() + u.cacheWriteTokens() + u.cacheWrite1hTokens();
        boolean tier = p.tier() != null && prompt > p.tier().above();
        long input = tier ? p.tier().input() : p.input();
        long cacheRead = tier ? p.tier().cacheRead() : p.cacheRead();
        long cacheWrite = tier ? p.tier().cacheWrite() : p.cacheWrite();
        Long oneHour = tier ? p.tier().cacheWrite1h() : p.cacheWrite1h();
        long cacheWrite1h = oneHour != null ? oneHour : cacheWrite;
        long output = tier ? p.tier().output() : p.output();
        // tokens x nano-USD per million tokens = 1e-15 USD; per-unit nano-USD x 1e6 = 1e-15 USD
        BigInteger femtoUsd = times(u.inputTokens(), input)
                .add(times(u.cacheReadTokens(), cacheRead))
                .add(times(u.cacheWriteTokens(), cacheWrite))
                .add(times(u.cacheWrite1hTokens(), cacheWrite1h))
                .add(times(u.outputTokens(), output))
                .add(times(u.images(), p.perImage() == null ? 0 : p.perImage()).multiply(MICRO))
                .add(times(u.webSearchRequests(), p.perSearch() == null ? 0 : p.perSearch()).multiply(MICRO));
        BigInteger numerator = femtoUsd.multiply(BigInteger.valueOf(creditsPerUsdMilli));
        // half-up for a non-negative fraction: floor((2n + d) / 2d)
        BigInteger twice = numerator.shiftLeft(1).add(FEMTO_PER_UNIT);
        return twice.divide(FEMTO_PER_UNIT.shiftLeft(1)).longValueExact();
    }

    private static BigInteger times(long count, long nanos) {
        return BigInteger.valueOf(count).multiply(BigInteger.valueOf(nanos));
    }

    private static NormalizedUsage grow(NormalizedUsage u, int field, long more) {
        return new NormalizedUsage(
                u.inputTokens() + (field == 0 ? more : 0),
                u.cacheReadTokens() + (field == 1 ? more : 0),
                u.cacheWriteTokens() + (field == 2 ? more : 0),
                u.cacheWrite1hTokens() + (field == 3 ? more : 0),
                u.outputTokens() + (field == 4 ? more : 0),
                u.images() + (field == 5 ? more : 0),
                u.webSearchRequests() + (field == 6 ? more : 0));
    }

    @Provide
    Arbitrary<NormalizedUsage> usages() {
        Arbitrary<Long> count = Arbitraries.longs().between(0, MAX_COUNT);
        return Combinators.combine(count, count, count, count, count, Arbitraries.longs().between(0, 100),
                        Arbitraries.longs().between(0, 100))
                .as(NormalizedUsage::new);
    }

    /** Any valid prices, the tier's rates drawn independently of the base rates. */
    @Provide
    Arbitrary<PriceNanos> prices() {
        Arbitrary<Tier> tier = Combinators.combine(Arbitraries.longs().between(1, MAX_COUNT), rate(), rate(), rate(),
                rate().injectNull(0.3), rate()).as(Tier::new);
        return Combinators.combine(rate(), rate(), rate(), rate().injectNull(0.3), rate(), rate().injectNull(0.3),
                        rate().injectNull(0.3), tier.injectNull(0.3))
                .as(PriceNanos::new);
    }

    /** Prices whose long-context tier charges at least the base rates, as every real tier does. */
    @Provide
    Arbitrary<PriceNanos> risingPrices() {
        return prices().map(p -> {
            if (p.tier() == null) {
                return p;
            }
            long baseOneHour = p.cacheWrite1h() != null ? p.cacheWrite1h() : p.cacheWrite();
            Tier t = p.tier();
            Tier rising = new Tier(t.above(), p.input() + t.input() / 2, p.cacheRead() + t.cacheRead() / 2,
                    p.cacheWrite() + t.cacheWrite() / 2,
                    baseOneHour + (t.cacheWrite1h() == null ? 0 : t.cacheWrite1h() / 2), p.output() + t.output() / 2);
            return new PriceNanos(p.input(), p.cacheRead(), p.cacheWrite(), p.cacheWrite1h(), p.output(),
                    p.perImage(), p.perSearch(), rising);
        });
    }

    /** Mostly realistic rates (under 100 USD), sometimes up to the validator's bound, at any of 9 decimals. */
    private static Arbitrary<Long> rate() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 100_000_000_000L)),
                Tuple.of(1, Arbitraries.longs().between(0, MAX_NANOS)));
    }
}
