package com.imagina.credits.payouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.imagina.credits.payouts.PayoutStore.Group;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RevenueShareTest {
    private static final BigDecimal TWENTY = BigDecimal.valueOf(20);

    @Test
    void theShareIsRoundedHalfUpOnceOnTheSum() {
        assertThat(RevenueShare.of(2, TWENTY)).isZero(); // 0.4
        assertThat(RevenueShare.of(3, TWENTY)).isEqualTo(1); // 0.6
        assertThat(RevenueShare.of(5, new BigDecimal("10"))).isEqualTo(1); // 0.5 goes up
        assertThat(RevenueShare.of(15, new BigDecimal("10"))).isEqualTo(2); // 1.5 goes up
        assertThat(RevenueShare.of(25, new BigDecimal("10"))).isEqualTo(3); // 2.5 goes up, not to even
        assertThat(RevenueShare.of(1, new BigDecimal("12.5"))).isZero(); // 0.125
        assertThat(RevenueShare.of(4, new BigDecimal("12.5"))).isEqualTo(1); // 0.5
        assertThat(RevenueShare.of(0, TWENTY)).isZero();
        assertThat(RevenueShare.of(1_000_000_000_000L, TWENTY)).isEqualTo(200_000_000_000L);
        // Once on the sum, not per charge: three charges of 3 are 1.8 -> 2, not 3 × round(0.6) = 3.
        assertThat(RevenueShare.of(3 + 3 + 3, TWENTY)).isEqualTo(2);
        for (long sum = 0; sum < 10_000; sum++) {
            assertThat(RevenueShare.of(sum, TWENTY)).isEqualTo((sum * 20 + 50) / 100);
        }
    }

    @Test
    void thePercentMustBeBetweenZeroAndOneHundred() {
        RevenueShare.requireValidPercent(BigDecimal.ZERO);
        RevenueShare.requireValidPercent(BigDecimal.valueOf(100));
        assertThatThrownBy(() -> RevenueShare.requireValidPercent(new BigDecimal("-1")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RevenueShare.requireValidPercent(new BigDecimal("100.01")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void entryKeysAreUniquePerGroupAndBatchEvenWithColonsInIds() {
        LocalDate day = LocalDate.parse("2031-01-01");
        assertThat(GroupPayer.entryKey(new Group("u-1", "w-5", day), 1)).isEqualTo("revenue_share:w-5:2031-01-01:u-1");
        assertThat(GroupPayer.entryKey(new Group("u-1", "w-5", day), 2))
                .isEqualTo("revenue_share:w-5:2031-01-01:u-1:2");
        String a = GroupPayer.entryKey(new Group("y:2031-01-01:z", "x", day), 1);
        String b = GroupPayer.entryKey(new Group("z", "x:2031-01-01:y", day), 1);
        assertThat(a).isNotEqualTo(b);
    }
}
