package com.imagina.credits.payouts;

import com.imagina.credits.system.db.Rows;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import com.imagina.credits.turns.RevenueShareMarks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** SQL of the payout: unpaid charges, their groups, the payout rows and the marks on the turns. */
@Component
class PayoutStore {
    static final String UNPAID = RevenueShare.ELIGIBLE + " and t.revenue_share_payout_id is null ";

    private final JdbcClient jdbc;
    private final RevenueShareMarks marks;

    PayoutStore(JdbcClient jdbc, RevenueShareMarks marks) {
        this.marks = marks;
        this.jdbc = jdbc;
    }

    /** One payout's worth of charges: an owner's world on one UTC day. */
    record Group(String ownerId, String worldId, LocalDate day) {
        Instant start() {
            return day.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        Instant end() {
            return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    /** A locked unpaid charge; {@code createdAt} (the turn's partition key) bounds the marking update. */
    record Charge(String turnId, long chargedMillicredits, Instant createdAt) {}

    record PaidCharge(String turnId, String accountId, String modelId, Instant settledAt, long chargedMillicredits) {}

    record Payout(long payoutId, String ownerId, String worldId, LocalDate day, int batch, long chargesMillicredits,
            int chargeCount, BigDecimal sharePercent, long amountMillicredits, Long ledgerEntryId, Instant createdAt) {}

    /** The nightly job's cheap question: is any eligible charge settled before {@code end} still unpaid? */
    boolean anyUnpaidBefore(Instant end) {
        return jdbc.sql("select exists (select 1 from turns t where" + UNPAID + "and t.closed_at < :end)")
                .param("end", Timestamp.from(end)).query(Boolean.class).single();
    }

    /** The groups that still owe a share, oldest day first: the order a run pays them in. */
    List<Group> unpaidGroupsBefore(Instant end) {
        return jdbc.sql("""
                select distinct t.world_owner_id, t.world_id, (t.closed_at at time zone 'UTC')::date as day
                  from turns t
                 where""" + UNPAID + """
                   and t.closed_at < :end
                 order by day, t.world_owner_id, t.world_id""")
                .param("end", Timestamp.from(end))
                .query((rs, n) -> new Group(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class)))
                .list();
    }

    /**
     * Locks the group's unpaid charges. A second runner blocks here until the first commits, then
     * re-checks {@code revenue_share_payout_id is null} on the new row versions and gets nothing.
     */
    List<Charge> lockUnpaid(Group g) {
        return jdbc.sql("""
                select t.turn_id, t.revenue_share_base_millicredits, t.created_at
                  from turns t
                 where""" + UNPAID + """
                   and t.world_id = :world and t.world_owner_id = :owner
                   and t.closed_at >= :start and t.closed_at < :end
                 order by t.turn_id
                   for update""")
                .param("world", g.worldId()).param("owner", g.ownerId())
                .param("start", Timestamp.from(g.start())).param("end", Timestamp.from(g.end()))
                .query((rs, n) -> new Charge(rs.getString(1), rs.getLong(2), Rows.instant(rs, "created_at")))
                .list();
    }

    /** 1 for a day's first payout; more only for charges that settled after the day was paid. */
    int nextBatch(Group g) {
        return jdbc.sql("""
                select coalesce(max(batch), 0) + 1 from revenue_share_payouts
                 where owner_id = :owner and world_id = :world and day = :day""")
                .param("owner", g.ownerId()).param("world", g.worldId()).param("day", g.day())
                .query(Integer.class).single();
    }

    long insert(Group g, int batch, long chargesMillicredits, int chargeCount, BigDecimal percent,
            long amountMillicredits, Long ledgerEntryId, Instant now) {
        return jdbc.sql("""
                insert into revenue_share_payouts (owner_id, world_id, day, batch, charges_millicredits, charge_count,
                       share_percent, amount_millicredits, ledger_entry_id, created_at)
                values (:owner, :world, :day, :batch, :charges, :count, :percent, :amount, :entry, :now)
                returning payout_id""")
                .param("owner", g.ownerId()).param("world", g.worldId()).param("day", g.day())
                .param("batch", batch).param("charges", chargesMillicredits).param("count", chargeCount)
                .param("percent", percent).param("amount", amountMillicredits).param("entry", ledgerEntryId)
                .param("now", Timestamp.from(now))
                .query(Long.class).single();
    }

    /**
     * Marks the locked charges as paid by this payout; returns how many it marked. The charges' own
     * {@code created_at} range lets the update prune {@code turns}' months when it is planned (without it, each
     * group's update planned every month's partition and indexes: ≈ 1 ms a group, the payout's largest statement).
     */
    int markPaid(long payoutId, List<Charge> charges) {
        Instant from = charges.stream().map(Charge::createdAt).min(Instant::compareTo).orElseThrow();
        Instant through = charges.stream().map(Charge::createdAt).max(Instant::compareTo).orElseThrow();
        return marks.markPaid(payoutId, charges.stream().map(Charge::turnId).toArray(String[]::new), from, through);
    }

    Optional<Payout> find(long payoutId) {
        return jdbc.sql("select * from revenue_share_payouts where payout_id = :id")
                .param("id", payoutId).query(PayoutStore::mapPayout).optional();
    }

    List<PaidCharge> chargesOf(long payoutId) {
        return jdbc.sql("""
                select turn_id, account_id, model_id, closed_at, charged_millicredits from turns
                 where revenue_share_payout_id = :id order by closed_at, turn_id""")
                .param("id", payoutId)
                .query((rs, n) -> new PaidCharge(rs.getString("turn_id"), rs.getString("account_id"),
                        rs.getString("model_id"), Rows.instant(rs, "closed_at"), rs.getLong("charged_millicredits")))
                .list();
    }

    private static Payout mapPayout(ResultSet rs, int n) throws SQLException {
        return new Payout(rs.getLong("payout_id"), rs.getString("owner_id"), rs.getString("world_id"),
                rs.getObject("day", LocalDate.class), rs.getInt("batch"), rs.getLong("charges_millicredits"),
                rs.getInt("charge_count"), rs.getBigDecimal("share_percent"), rs.getLong("amount_millicredits"),
                (Long) rs.getObject("ledger_entry_id"), Rows.instant(rs, "created_at"));
    }
}
