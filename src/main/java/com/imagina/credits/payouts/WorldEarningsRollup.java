package com.imagina.credits.payouts;

import com.imagina.credits.system.ClockChanged;
import com.imagina.credits.system.ServiceClock;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rollup behind {@link WorldEarnings}: one {@code world_earnings_days} row per (world, UTC day) with the
 * day's eligible paid plays, distinct players and spend. A day is rolled up once it is over by
 * {@link #MARGIN} (every settle stamped that day has committed: statements are bounded to seconds) and every
 * eligible charge up to its end is paid out, so a rolled-up day never changes again: earnings show it as paid
 * out and read the amounts from its payouts. Days after the watermark are read live.
 *
 * <p>Exactly once across instances: each day is rolled up in a transaction of its own that first locks the
 * watermark row; a second instance waits, then finds the watermark moved and does nothing. A run rolls up at
 * most {@link #DAYS_PER_RUN} days (bounded work); the next run carries on. Setting the adjustable clock back
 * drops the days that are no longer over (dev and test only).
 */
@Component
class WorldEarningsRollup {
    private static final Logger log = LoggerFactory.getLogger(WorldEarningsRollup.class);
    static final Duration MARGIN = Duration.ofMinutes(10);
    static final int DAYS_PER_RUN = 31;

    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final TransactionTemplate tx;

    WorldEarningsRollup(JdbcClient jdbc, ServiceClock clock, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = tx;
    }

    @Scheduled(fixedDelayString = "${credits.rollups.world-earnings-interval:5m}", initialDelayString = "20s")
    void tick() {
        try {
            rollUp();
        } catch (RuntimeException e) {
            log.warn("World earnings rollup failed; the next run retries: {}", e.toString());
        }
    }

    /** Rolls up the days that are due, one transaction per day; returns how many days it stored. */
    int rollUp() {
        int days = 0;
        while (days < DAYS_PER_RUN) {
            Boolean more = tx.execute(status -> rollUpOneDay());
            if (!Boolean.TRUE.equals(more)) break;
            days++;
        }
        return days;
    }

    static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The last day that may be rolled up now: over by the margin, and no eligible charge of it or before unpaid. */
    LocalDate target() {
        LocalDate over = ServiceClock.utcDay(clock.now().minus(MARGIN)).minusDays(1);
        Timestamp firstUnpaid = jdbc.sql("select min(t.closed_at) from turns t where" + RevenueShare.ELIGIBLE
                        + "and t.revenue_share_payout_id is null")
                .query(Timestamp.class).optional().orElse(null);
        if (firstUnpaid == null) return over;
        LocalDate beforeUnpaid = ServiceClock.utcDay(firstUnpaid.toInstant()).minusDays(1);
        return beforeUnpaid.isBefore(over) ? beforeUnpaid : over;
    }

    /** One step under the watermark row's lock: false when there is nothing to do. */
    private boolean rollUpOneDay() {
        LocalDate through = jdbc.sql("select through_day from world_earnings_watermark where id = 1 for update")
                .query(LocalDate.class).single();
        LocalDate target = target();
        if (!through.isBefore(target)) return false;
        // The next day with a settled turn after the watermark: days without plays need no row.
        Timestamp next = jdbc.sql("""
                select min(closed_at) from turns where status = 'settled' and closed_at >= :from""")
                .param("from", Timestamp.from(start(through.plusDays(1))))
                .query(Timestamp.class).optional().orElse(null);
        LocalDate day = next == null ? null : ServiceClock.utcDay(next.toInstant());
        if (day == null || day.isAfter(target)) {
            setWatermark(target);
            return true;
        }
        jdbc.sql("""
                insert into world_earnings_days (world_id, day, paid_plays, players, spend_millicredits)
                select t.world_id, :day, count(*), count(distinct t.account_id), sum(t.revenue_share_base_millicredits)
                  from turns t
                 where t.closed_at >= :from and t.closed_at < :to and""" + RevenueShare.ELIGIBLE + """
                 group by t.world_id
                on conflict (world_id, day) do nothing""")
                .param("day", day).param("from", Timestamp.from(start(day)))
                .param("to", Timestamp.from(start(day.plusDays(1)))).update();
        setWatermark(day);
        return true;
    }

    private void setWatermark(LocalDate day) {
        jdbc.sql("update world_earnings_watermark set through_day = :d where id = 1").param("d", day).update();
    }

    /** The clock was set back: days that are not over any more (or whose charges may change) go. */
    @EventListener
    void onClockChanged(ClockChanged event) {
        LocalDate over = ServiceClock.utcDay(event.now().minus(MARGIN)).minusDays(1);
        tx.executeWithoutResult(status -> {
            LocalDate through = jdbc.sql("select through_day from world_earnings_watermark where id = 1 for update")
                    .query(LocalDate.class).single();
            if (through.isAfter(over)) {
                jdbc.sql("delete from world_earnings_days where day > :d").param("d", over).update();
                setWatermark(over);
            }
        });
    }
}
