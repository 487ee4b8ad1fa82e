package com.imagina.credits.payouts;

import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.db.ReplicaReads;
import com.imagina.credits.worlds.World;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A world's economics for its creator, computed in SQL from the same rule as the payout
 * ({@link RevenueShare#ELIGIBLE}) so the two agree to the millicredit:
 * <ul>
 * <li>{@code authoringSpentMillicredits}: the settled {@code world_text} and {@code world_image} charges in
 * the world by its owner (the owner when the charge was made); other players' authoring is theirs.
 * <li>{@code earnedMillicredits}: the {@code revenue_share} ledger entries of the world's payouts.
 * <li>{@code pendingMillicredits}: what is accrued but unpaid (today's plays included), rounded exactly as
 * the payout will round it, once per owner and day; after a payout through today, earned grows by
 * exactly this amount.
 * <li>{@code days}, newest first, one per UTC day with eligible charges: their count, distinct players,
 * their sum, and the share: the payouts of the day plus the rounded accrual of what is still unpaid.
 * {@code paidOut} is true when no charge of the day is left unpaid.
 * </ul>
 */
@Component
class WorldEarnings {
    private final JdbcClient jdbc;
    private final BigDecimal percent;

    /** Reads a standby when one is configured: earnings shown may lag, the payout run reads the primary. */
    @Autowired
    WorldEarnings(ReplicaReads replica, CreditsProperties properties) {
        this(replica.jdbc(), properties);
    }

    WorldEarnings(JdbcClient jdbc, CreditsProperties properties) {
        this.jdbc = jdbc;
        this.percent = properties.revenueShare().percent();
    }

    record Day(LocalDate day, long paidPlays, long players, long playSpendMillicredits, long shareMillicredits,
            boolean paidOut) {}

    record Earnings(String worldId, String ownerId, boolean published, long authoringSpentMillicredits,
            long earnedMillicredits, long pendingMillicredits, BigDecimal sharePercent, String rounding,
            List<Day> days) {}

    record DayRow(Day day, long pendingMillicredits) {}

    Earnings of(World world) {
        List<DayRow> rows = days(world.worldId());
        long pending = rows.stream().mapToLong(DayRow::pendingMillicredits).sum();
        return new Earnings(world.worldId(), world.ownerId(), world.published(), authoringSpent(world.worldId()),
                earned(world.worldId()), pending, percent, PayoutController.ROUNDING,
                rows.stream().map(DayRow::day).toList());
    }

    /**
     * The days from the rollup ({@link WorldEarningsRollup}: closed days whose every eligible charge is paid)
     * plus the days after its watermark, read live from the world's turns since then.
     */
    private List<DayRow> days(String worldId) {
        return jdbc.sql("""
                with mark as (select through_day from world_earnings_watermark where id = 1),
                eligible as (
                    select t.world_owner_id as owner_id, (t.closed_at at time zone 'UTC')::date as day,
                           t.account_id, t.revenue_share_base_millicredits as charged, t.revenue_share_payout_id as payout_id
                      from turns t
                     where t.world_id = :world
                       and t.closed_at >= (select (through_day + 1)::timestamp at time zone 'UTC' from mark)
                       and""" + RevenueShare.ELIGIBLE + """
                ),
                accrued as (
                    select day, sum(round(spend * :percent / 100)) as accrual
                      from (select owner_id, day, sum(charged) as spend from eligible
                             where payout_id is null group by owner_id, day) unpaid_group
                     group by day
                ),
                paid as (
                    select day, sum(amount_millicredits) as amount from revenue_share_payouts
                     where world_id = :world group by day
                ),
                live as (
                    select e.day, count(*) as paid_plays, count(distinct e.account_id) as players,
                           sum(e.charged) as spend, bool_and(e.payout_id is not null) as paid_out
                      from eligible e group by e.day
                ),
                rolled as (
                    select r.day, r.paid_plays, r.players, r.spend_millicredits as spend, true as paid_out
                      from world_earnings_days r
                     where r.world_id = :world and r.day <= (select through_day from mark)
                )
                select d.day, d.paid_plays, d.players, d.spend, d.paid_out,
                       coalesce(p.amount, 0) as paid_amount, coalesce(a.accrual, 0) as accrual
                  from (select * from rolled union all select * from live) d
                  left join paid p on p.day = d.day
                  left join accrued a on a.day = d.day
                 order by d.day desc""")
                .param("world", worldId).param("percent", percent)
                .query(this::mapDay)
                .list();
    }

    /** The same figures from every play turn of the world: what the rollup must agree with (tests). */
    List<DayRow> daysFromEveryTurn(String worldId) {
        return jdbc.sql("""
                with eligible as (
                    select t.world_owner_id as owner_id, (t.closed_at at time zone 'UTC')::date as day,
                           t.account_id, t.revenue_share_base_millicredits as charged, t.revenue_share_payout_id as payout_id
                      from turns t
                     where t.world_id = :world and""" + RevenueShare.ELIGIBLE + """
                ),
                accrued as (
                    select day, sum(round(spend * :percent / 100)) as accrual
                      from (select owner_id, day, sum(charged) as spend from eligible
                             where payout_id is null group by owner_id, day) unpaid_group
                     group by day
                ),
                paid as (
                    select day, sum(amount_millicredits) as amount from revenue_share_payouts
                     where world_id = :world group by day
                )
                select e.day, count(*) as paid_plays, count(distinct e.account_id) as players,
                       sum(e.charged) as spend, bool_and(e.payout_id is not null) as paid_out,
                       coalesce(max(p.amount), 0) as paid_amount, coalesce(max(a.accrual), 0) as accrual
                  from eligible e
                  left join paid p on p.day = e.day
                  left join accrued a on a.day = e.day
                 group by e.day
                 order by e.day desc""")
                .param("world", worldId).param("percent", percent)
                .query(this::mapDay)
                .list();
    }

    private DayRow mapDay(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        long accrual = rs.getBigDecimal("accrual").longValueExact();
        long share = rs.getLong("paid_amount") + accrual;
        return new DayRow(new Day(rs.getObject("day", LocalDate.class), rs.getLong("paid_plays"),
                rs.getLong("players"), rs.getLong("spend"), share, rs.getBoolean("paid_out")), accrual);
    }

    private long authoringSpent(String worldId) {
        return jdbc.sql("""
                select coalesce(sum(t.charged_millicredits), 0) from turns t
                 where t.world_id = :world and t.status = 'settled' and t.purpose in ('world_text', 'world_image')
                   and t.account_id = t.world_owner_id""")
                .param("world", worldId).query(Long.class).single();
    }

    private long earned(String worldId) {
        return jdbc.sql("""
                select coalesce(sum(e.amount_millicredits), 0)
                  from revenue_share_payouts p join ledger_entries e on e.entry_id = p.ledger_entry_id
                 where p.world_id = :world""")
                .param("world", worldId).query(Long.class).single();
    }
}
