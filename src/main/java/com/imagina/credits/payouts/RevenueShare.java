package com.imagina.credits.payouts;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The revenue-share rule in one place: which charges earn a share, and how a share is rounded.
 * Every query of the package (payout, earnings, reconciliation) uses {@link #ELIGIBLE}, so the payout
 * and what the creator sees can never disagree about what counts.
 */
final class RevenueShare {
    /**
     * A charge earns its world's owner a share when it is a settled, paid {@code play} turn by someone
     * other than the owner, in a world that was published when it was played (the turn's snapshot).
     * Free turns, authoring charges ({@code world_text}, {@code world_image}) and owners' own plays
     * earn nothing. What earns is {@code revenue_share_base_millicredits}: the charge, less the part paid
     * with promotional credits unless {@code credits.revenue-share.on-promotional} was on when the turn
     * settled. Matches the partial index {@code turns_revenue_share_unpaid}. Alias {@code t}.
     */
    static final String ELIGIBLE = " (t.status = 'settled' and t.purpose = 'play' and t.funded_by = 'credits'"
            + " and t.revenue_share_base_millicredits > 0 and t.world_published and t.account_id <> t.world_owner_id) ";

    private RevenueShare() {}

    /** round_half_up(charges × percent / 100): applied once to a group's sum, never per charge. */
    static long of(long chargesMillicredits, BigDecimal percent) {
        return BigDecimal.valueOf(chargesMillicredits).multiply(percent)
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    static void requireValidPercent(BigDecimal percent) {
        if (percent == null || percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalStateException("credits.revenue-share.percent must be between 0 and 100, not " + percent);
        }
    }
}
