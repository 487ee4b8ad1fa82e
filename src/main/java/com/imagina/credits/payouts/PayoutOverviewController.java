package com.imagina.credits.payouts;

import com.imagina.credits.system.db.Rows;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/payouts?from=DAY&to=DAY} (default: the last 30 days): the payouts made, per
 * world and day (newest first), and what is pending — every (owner, world, day) with unpaid eligible
 * charges, whatever its day, with the share it would pay now (the payout's own rounding, once per group).
 */
@RestController
class PayoutOverviewController {
    private static final int MAX_DAYS = 400;

    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final BigDecimal percent;

    PayoutOverviewController(JdbcClient jdbc, ServiceClock clock, CreditsProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.percent = properties.revenueShare().percent();
    }

    record Made(long payoutId, String ownerId, String worldId, LocalDate day, int batch, int paidPlays,
            long playSpendMillicredits, BigDecimal sharePercent, long amountMillicredits, Long ledgerEntryId,
            Instant createdAt) {}

    record Pending(String ownerId, String worldId, LocalDate day, int plays, long playSpendMillicredits,
            long shareMillicredits, boolean payable) {}

    record Overview(LocalDate from, LocalDate to, BigDecimal sharePercent, long paidMillicredits,
            long pendingMillicredits, List<Made> payouts, List<Pending> pending) {}

    @GetMapping("/api/v1/admin/payouts")
    Overview overview(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Caller.current().requireAdmin();
        LocalDate today = clock.today();
        LocalDate last = to == null || to.isBlank() ? today : day(to, "to");
        LocalDate first = from == null || from.isBlank() ? last.minusDays(29) : day(from, "from");
        if (last.isBefore(first) || ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw ApiException.badRequest("from must not be after to, and at most " + MAX_DAYS + " days apart.");
        }
        List<Made> made = jdbc.sql("""
                select payout_id, owner_id, world_id, day, batch, charge_count, charges_millicredits, share_percent,
                       amount_millicredits, ledger_entry_id, created_at
                  from revenue_share_payouts where day between :from and :to
                 order by day desc, world_id, batch limit 1000""")
                .param("from", first).param("to", last)
                .query((rs, n) -> new Made(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, LocalDate.class), rs.getInt(5), rs.getInt(6), rs.getLong(7), rs.getBigDecimal(8),
                        rs.getLong(9), (Long) rs.getObject(10), Rows.instant(rs, "created_at")))
                .list();
        List<Pending> pending = jdbc.sql("""
                select t.world_owner_id, t.world_id, (t.closed_at at time zone 'UTC')::date as day, count(*) as plays,
                       sum(t.revenue_share_base_millicredits) as spend
                  from turns t
                 where""" + PayoutStore.UNPAID + """
                 group by 1, 2, 3 order by 3, 2 limit 1000""")
                .query((rs, n) -> {
                    LocalDate day = rs.getObject(3, LocalDate.class);
                    return new Pending(rs.getString(1), rs.getString(2), day, rs.getInt(4), rs.getLong(5),
                            RevenueShare.of(rs.getLong(5), percent), day.isBefore(today));
                })
                .list();
        return new Overview(first, last, percent, made.stream().mapToLong(Made::amountMillicredits).sum(),
                pending.stream().mapToLong(Pending::shareMillicredits).sum(), made, pending);
    }

    private static LocalDate day(String value, String name) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be a UTC day such as 2026-11-24.");
        }
    }
}
