package com.imagina.credits.payouts;

import com.imagina.credits.payouts.GroupPayer.PaidOut;
import com.imagina.credits.system.ServiceClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The nightly revenue-share payout. Every {@code credits.payouts.check-interval} (10 minutes) each
 * instance asks one indexed question, "is any eligible charge settled before the end of yesterday
 * still unpaid?", and only then runs a payout through yesterday (UTC, on the service clock). So it pays
 * shortly after 00:00 UTC, catches up on every missed day after downtime (it pays everything unpaid,
 * not just yesterday), and costs one index probe when there is nothing to do. When another instance is
 * already running a payout it skips instead of waiting: that run pays the same charges.
 */
@Component
class NightlyPayout {
    /** A settlement stamped just before midnight commits a moment later: give it this long to land. */
    static final Duration SETTLE_GRACE = Duration.ofMinutes(1);

    private final PayoutRun run;
    private final PayoutStore store;
    private final ServiceClock clock;
    private boolean enabled;

    NightlyPayout(PayoutRun run, PayoutStore store, ServiceClock clock,
            @Value("${credits.payouts.nightly-enabled:true}") boolean enabled) {
        this.run = run;
        this.store = store;
        this.clock = clock;
        this.enabled = enabled;
    }

    @Scheduled(fixedDelayString = "${credits.payouts.check-interval:10m}",
            initialDelayString = "${credits.payouts.check-interval:10m}")
    synchronized void tick() {
        if (enabled) {
            runIfDue();
        }
    }

    /** Pays everything unpaid through the last day that is over; empty when there was nothing to do. */
    synchronized List<PaidOut> runIfDue() {
        LocalDate through = lastDayToPay(clock.now());
        if (!store.anyUnpaidBefore(PayoutRun.endOf(through))) {
            return List.of();
        }
        return run.payThroughIfFree(through).map(PayoutRun.Result::paid).orElse(List.of());
    }

    static LocalDate lastDayToPay(Instant now) {
        return ServiceClock.utcDay(now.minus(SETTLE_GRACE)).minusDays(1);
    }

    /** Pauses or resumes the schedule on this instance; waits for a tick that is running to finish. */
    synchronized void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
