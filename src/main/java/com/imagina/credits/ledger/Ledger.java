package com.imagina.credits.ledger;

import com.imagina.credits.system.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one write path for money. {@link #post} moves an account's balance and appends the entry that
 * explains it, with the balance after, in a single statement: the balance row is locked by the
 * update, so entries of one account are appended in order and balance = sum of entries always holds.
 * It must run inside the caller's transaction, so the effect it belongs to (a settled turn, a paid
 * payout, a stored Stripe event) commits or rolls back together with it.
 */
@Component
public class Ledger {
    static final String ENTRY_COLUMNS = """
            entry_id, account_id, type, amount_millicredits, full_cost_millicredits, balance_after_millicredits,
            description, turn_id, model_id, world_id, adjustment_id, reference, created_at
            """;

    static final RowMapper<LedgerEntry> ENTRY_MAPPER = Ledger::mapEntry;

    private final JdbcClient jdbc;

    Ledger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The three steps of every posting, as CTEs {@code locked} (the account row locked, and what the
     * posting moves decided from it), {@code moved} (the balance moves, the released hold goes, today's
     * paid spend grows), {@code entry} (the entry, with the balance after) and {@code keyed} (its key in
     * {@code entry_keys}, V113: {@code ledger_entries} is partitioned by month and can hold no unique index on
     * the key alone, so this unpartitioned table keeps every key unique across months; a taken key fails the
     * whole statement with a unique violation, as the unique index on the key did). The account is locked only if
     * the CTE {@code guard} returns a row: a guarded posting's guard (a turn still open), or
     * {@code select 1} for a plain posting — so the text has no holes.
     *
     * <p>A bounded posting (a turn's charge) asks for {@code -:amount} and collects at most what the
     * account can pay at this moment: its hold ({@code :released}) plus what is available beyond it plus
     * the allowed overdraft, and within today's daily cap less the other open holds; never less than 0.
     * So a turn never takes a balance below {@code -overdraft}, never takes today's paid spend past the
     * cap, and never eats into the credits another open hold reserved. The rest of the cost is the turn's
     * uncollected part ({@code full_cost - collected}). Any other posting moves exactly {@code :amount}.
     *
     * <p>The balance is made of three kinds of credit, taken in the spending order by a charge (a turn
     * or an authoring charge; which entry types are charges is said once, as {@code locked.spending}): promotional and goodwill grants first ({@code promo_millicredits}), then
     * earned revenue share ({@code earned_millicredits}), then purchased credits (the rest of the
     * balance, the only part that may go below zero). Grants and their expiries move the promotional
     * part, revenue share the earned part; purchases, refunds, disputes and adjustments the purchased
     * part. What a charge took from promotional credits is added to
     * {@code promo_unallocated_millicredits} (applied to the individual grants, soonest-expiring first,
     * by {@code Grants}) and returned as {@code last_spend_promo_millicredits}. Every expression reads the
     * row as locked by this statement, so concurrent postings on one account stay exact.
     */
    private static final String MOVE_AND_APPEND = """
            locked as (
                select account_id, amount, case when cast(:bounded as boolean) then 0 - amount else :spend end as spend,
                       :type in ('turn', 'free_turn', 'world_text', 'world_image') as spending
                  from (select account_id,
                               case when cast(:bounded as boolean) then -greatest(0, least(0 - :amount,
                                        balance_millicredits - held_millicredits + :released + :overdraft,
                                        coalesce(daily_spend_limit_millicredits
                                                 - case when spend_day = cast(:spendDay as date)
                                                        then spent_on_spend_day_millicredits else 0 end
                                                 - held_millicredits + :released, 0 - :amount)))
                                    else :amount end as amount
                          from accounts
                         where account_id = :accountId and exists (select 1 from guard)
                           for update) as account),
            moved as (
                update accounts
                   set balance_millicredits = balance_millicredits + locked.amount,
                       held_millicredits = held_millicredits - :released,
                       promo_millicredits = promo_millicredits + case
                           when locked.spending
                               then -least(promo_millicredits, (0 - locked.amount))
                           when :type in ('grant', 'expiry') then locked.amount
                           else 0 end,
                       earned_millicredits = earned_millicredits + case
                           when locked.spending
                               then -least(earned_millicredits, greatest(0, (0 - locked.amount) - promo_millicredits))
                           when :type = 'revenue_share' then locked.amount
                           else 0 end,
                       promo_unallocated_millicredits = promo_unallocated_millicredits + case
                           when locked.spending
                               then least(promo_millicredits, (0 - locked.amount))
                           else 0 end,
                       last_spend_promo_millicredits = case
                           when locked.spending
                               then least(promo_millicredits, (0 - locked.amount))
                           else 0 end,
                       spent_on_spend_day_millicredits = case
                           when locked.spend = 0 then spent_on_spend_day_millicredits
                           when spend_day = cast(:spendDay as date) then spent_on_spend_day_millicredits + locked.spend
                           else locked.spend end,
                       spend_day = case when locked.spend = 0 then spend_day else cast(:spendDay as date) end
                  from locked
                 where accounts.account_id = locked.account_id
             returning accounts.balance_millicredits, accounts.last_spend_promo_millicredits, locked.amount),
            entry as (
                insert into ledger_entries (account_id, type, amount_millicredits, full_cost_millicredits,
                       balance_after_millicredits, description, entry_key, turn_id, model_id, world_id,
                       adjustment_id, reference, created_at)
                select :accountId, :type, moved.amount, :fullCost, moved.balance_millicredits, :description, :entryKey,
                       :turnId, :modelId, :worldId, :adjustmentId, :reference, :createdAt
                  from moved
             returning""" + " " + ENTRY_COLUMNS + "), " + """
            keyed as (
                insert into entry_keys (entry_key, entry_id, created_at)
                select :entryKey, entry.entry_id, entry.created_at from entry)""";

    private static final String POST_SQL =
            "with guard as (select 1), " + MOVE_AND_APPEND + " select " + ENTRY_COLUMNS + " from entry";

    /** Appends the posting. The account must exist ({@code Accounts.ensure}); its key must be new. */
    @Transactional(propagation = Propagation.MANDATORY)
    public LedgerEntry post(Posting p) {
        return bind(jdbc.sql(POST_SQL), p)
                .query(ENTRY_MAPPER)
                .optional()
                .orElseThrow(() -> new IllegalStateException("No account " + p.accountId() + " to post to"));
    }

    /**
     * Posts {@code p} in one statement with the change it belongs to, so that a settlement is a single
     * round trip that needs no transaction around it: all of it happens, or none. The statement is
     * {@link #guardedPostingSql}'s, built once by the caller. {@code params} bind its guard and closing;
     * their names must not clash with a posting's. Returns the entry, or
     * empty when the guard found nothing and nothing moved. The entry key stays unique: a second
     * posting of the same key fails the whole statement.
     */
    public Optional<LedgerEntry> postGuarded(String guardedPostingSql, Map<String, ?> params, Posting p) {
        return bind(jdbc.sql(guardedPostingSql), p)
                .params(params)
                .query(ENTRY_MAPPER)
                .optional();
    }

    /**
     * The one statement of a guarded posting. {@code guard} is a query that must return a row for
     * anything to happen (it may lock it: a turn still open); {@code closing} is a data-modifying
     * statement run after the entry is written, which may read the CTE {@code entry} (the turn marked
     * settled, with the balance after in its stored answer); {@code after} are further named CTEs
     * ({@code name as (...)}) run after it, which may read {@code closing}'s {@code returning} (the turn's
     * journey marked with its last settled turn). The settlement's text, and why it is joined from these
     * whole parts rather than written out in one block: {@code TurnStore.SETTLE_POSTING_SQL}.
     */
    public static String guardedPostingSql(String guard, String closing, String... after) {
        return "with guard as (" + guard + "), " + MOVE_AND_APPEND
                + ", closing as (" + closing + ")" + (after.length == 0 ? "" : ", " + String.join(", ", after))
                + " select " + ENTRY_COLUMNS + " from entry";
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, Posting p) {
        return statement
                .param("accountId", p.accountId())
                .param("amount", p.amountMillicredits())
                .param("released", p.releasedHoldMillicredits())
                .param("spend", p.paidSpendMillicredits())
                .param("spendDay", p.spendDay())
                .param("bounded", p.bounded())
                .param("overdraft", p.overdraftMillicredits())
                .param("type", p.type().wireName())
                .param("fullCost", p.fullCostMillicredits())
                .param("description", p.description())
                .param("entryKey", p.entryKey())
                .param("turnId", p.turnId())
                .param("modelId", p.modelId())
                .param("worldId", p.worldId())
                .param("adjustmentId", p.adjustmentId())
                .param("reference", p.reference())
                .param("createdAt", Timestamp.from(p.createdAt()));
    }

    static LedgerEntry mapEntry(ResultSet rs, int row) throws SQLException {
        return new LedgerEntry(
                rs.getLong("entry_id"),
                rs.getString("account_id"),
                EntryType.fromWire(rs.getString("type")),
                rs.getLong("amount_millicredits"),
                (Long) rs.getObject("full_cost_millicredits"),
                rs.getLong("balance_after_millicredits"),
                rs.getString("description"),
                rs.getString("turn_id"),
                rs.getString("model_id"),
                rs.getString("world_id"),
                rs.getString("adjustment_id"),
                rs.getString("reference"),
                Rows.instant(rs, "created_at"));
    }
}
