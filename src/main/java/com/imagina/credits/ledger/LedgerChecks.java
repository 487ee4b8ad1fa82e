package com.imagina.credits.ledger;

import com.imagina.credits.ledger.Reconciliation.Check;
import java.util.List;

/**
 * The ledger's own reconciliation checks. Each has two forms of one rule, each a single query that
 * counts violating rows: the full form reads each table once (group by + join, window functions, no
 * query per row), the incremental form only what changed since {@code :since}.
 *
 * <p>Incremental scope: the accounts "touched" since {@code :since} (an entry created, or a turn
 * created since {@code :turnsSince} = since − hold TTL − overlap, so a settle, void or expiry of any
 * turn still open at {@code :since} is covered), the entries created and the turns settled since. For
 * those accounts the per-account rules are checked in full, each through an index of its own. The
 * incremental forms assume entries of one account are created in time order (the service clock),
 * which production's clock keeps; a full run assumes nothing.
 */
final class LedgerChecks {
    private LedgerChecks() {}

    /** Accounts with an entry, or a turn opened, since the watermark. */
    static final String TOUCHED = """
            with touched as (
                select account_id from ledger_entries where created_at >= :since
                 union
                select account_id from turns where created_at >= :turnsSince)
            """;

    static final List<Check> CORE = List.of(
            new Check("balance_equals_sum_of_entries", "Each account's balance equals the sum of its ledger entries.", """
                    select count(*) from accounts a
                      left join (select account_id, sum(amount_millicredits) as total from ledger_entries
                                  group by account_id) e on e.account_id = a.account_id
                     where a.balance_millicredits <> coalesce(e.total, 0)""",
                    // The last entry's balance after is the running sum (checked for new entries below).
                    TOUCHED + """
                    select count(*) from accounts a join touched using (account_id)
                     where a.balance_millicredits <> coalesce((select e.balance_after_millicredits from ledger_entries e
                            where e.account_id = a.account_id order by e.entry_id desc limit 1), 0)"""),
            new Check("held_equals_sum_of_open_holds", "Each account's held amount equals the sum of its open credit holds.", """
                    select count(*) from accounts a
                      left join (select account_id, sum(hold_millicredits) as held from turns
                                  where status = 'authorized' group by account_id) h on h.account_id = a.account_id
                     where a.held_millicredits <> coalesce(h.held, 0)""",
                    TOUCHED + """
                    select count(*) from accounts a join touched using (account_id)
                     where a.held_millicredits <> coalesce((select sum(t.hold_millicredits) from turns t
                            where t.account_id = a.account_id and t.status = 'authorized'), 0)"""),
            new Check("balance_after_is_running_sum",
                    "Each entry's balance after is the previous entry's balance after (0 before the first) plus its"
                            + " amount: the running sum of the account's entries.", """
                    select count(*) from (
                        select balance_after_millicredits, amount_millicredits,
                               lag(balance_after_millicredits, 1, 0::bigint)
                                   over (partition by account_id order by entry_id) as before
                          from ledger_entries) x
                     where x.balance_after_millicredits <> x.before + x.amount_millicredits""", """
                    select count(*) from ledger_entries e
                     where e.created_at >= :since
                       and e.balance_after_millicredits <> e.amount_millicredits + coalesce((
                           select p.balance_after_millicredits from ledger_entries p
                            where p.account_id = e.account_id and p.entry_id < e.entry_id
                            order by p.entry_id desc limit 1), 0)"""),
            // V113: ledger_entries is partitioned by month; entry_keys keeps each key unique across months, and is
            // written in the posting's statement. Anything that writes an entry another way would skip it.
            new Check("entry_key_is_kept", "Every entry's key is in entry_keys, naming that entry: the key is taken"
                    + " across every month of the ledger.", """
                    select count(*) from ledger_entries e
                     where not exists (select 1 from entry_keys k where k.entry_key = e.entry_key
                                          and k.entry_id = e.entry_id and k.created_at = e.created_at)""", """
                    select count(*) from ledger_entries e
                     where e.created_at >= :since
                       and not exists (select 1 from entry_keys k where k.entry_key = e.entry_key
                                          and k.entry_id = e.entry_id and k.created_at = e.created_at)"""),
            new Check("free_turns_counted", "Free turns used today equals the free turns authorized or settled that day.", """
                    select count(*) from accounts a
                      left join (select account_id, free_turn_day, count(*) as used from turns
                                  where funded_by = 'free_turn' and status in ('authorized', 'settled')
                                    and free_turn_day >= (select min(free_turns_day) from accounts)
                                  group by account_id, free_turn_day) f
                             on f.account_id = a.account_id and f.free_turn_day = a.free_turns_day
                     where a.free_turns_day is not null and a.free_turns_used <> coalesce(f.used, 0)""",
                    // Open free turns through the open-holds index, settled ones through their entries.
                    TOUCHED + """
                    select count(*) from accounts a join touched using (account_id)
                     where a.free_turns_day is not null and a.free_turns_used <> (
                           (select count(*) from turns o
                             where o.account_id = a.account_id and o.status = 'authorized'
                               and o.funded_by = 'free_turn' and o.free_turn_day = a.free_turns_day)
                         + (select count(*) from ledger_entries e join turns s on s.turn_id = e.turn_id
                             where e.account_id = a.account_id and e.type = 'free_turn'
                               and s.status = 'settled' and s.funded_by = 'free_turn'
                               and s.free_turn_day = a.free_turns_day))"""),
            // The full form hashes every entry by its key column (no index needed, V114); the incremental form
            // finds each turn's entry through entry_keys and then by its primary key, in the entry's month only.
            new Check("settled_turn_has_one_entry", "Every settled turn has exactly one ledger entry that charges what the turn says.", """
                    select count(*) from turns t
                      left join ledger_entries e on e.entry_key = 'turn:' || t.turn_id
                     where t.status = 'settled'
                       and not coalesce(e.turn_id = t.turn_id and e.amount_millicredits = -t.charged_millicredits
                                        and e.full_cost_millicredits = t.cost_millicredits, false)""", """
                    select count(*) from turns t
                      left join (entry_keys k join ledger_entries e on e.entry_id = k.entry_id and e.created_at = k.created_at)
                             on k.entry_key = 'turn:' || t.turn_id
                     where t.status = 'settled' and t.closed_at >= :since
                       and not coalesce(e.turn_id = t.turn_id and e.amount_millicredits = -t.charged_millicredits
                                        and e.full_cost_millicredits = t.cost_millicredits, false)"""),
            new Check("no_entry_without_settled_turn", "Every turn entry belongs to a settled turn.", """
                    select count(*) from ledger_entries e
                     where e.entry_key like 'turn:%' and not exists (
                           select 1 from turns t where t.turn_id = e.turn_id and t.status = 'settled')""", """
                    select count(*) from ledger_entries e
                     where e.created_at >= :since and e.entry_key like 'turn:%' and not exists (
                           select 1 from turns t where t.turn_id = e.turn_id and t.status = 'settled')"""),
            new Check("free_turns_charge_nothing", "Free turns are charged 0 and paid turns their full cost, "
                    + "collected or uncollected.", """
                    select count(*) from turns t
                     where t.status = 'settled'
                       and ((t.funded_by = 'free_turn' and (t.charged_millicredits <> 0 or t.uncollected_millicredits <> 0))
                        or (t.funded_by = 'credits' and (t.charged_millicredits < 0
                            or t.charged_millicredits + t.uncollected_millicredits <> t.cost_millicredits)))""", """
                    select count(*) from turns t
                     where t.status = 'settled' and t.closed_at >= :since
                       and ((t.funded_by = 'free_turn' and (t.charged_millicredits <> 0 or t.uncollected_millicredits <> 0))
                        or (t.funded_by = 'credits' and (t.charged_millicredits < 0
                            or t.charged_millicredits + t.uncollected_millicredits <> t.cost_millicredits)))"""),
            new Check("spend_today_matches_charges", "Today's paid spend on each account equals its paid charges settled that day.", """
                    select count(*) from accounts a
                      left join (select account_id, (closed_at at time zone 'UTC')::date as day,
                                        sum(charged_millicredits) as spent
                                   from turns
                                  where status = 'settled'
                                    and closed_at >= (select min(spend_day) from accounts)::timestamp at time zone 'UTC'
                                  group by account_id, (closed_at at time zone 'UTC')::date) s
                             on s.account_id = a.account_id and s.day = a.spend_day
                     where a.spend_day is not null and a.spent_on_spend_day_millicredits <> coalesce(s.spent, 0)""",
                    // The day's charges are the account's entries after its last one before that day.
                    TOUCHED + """
                    select count(*) from accounts a join touched using (account_id)
                     where a.spend_day is not null and a.spent_on_spend_day_millicredits <> coalesce((
                           select sum(s.charged_millicredits)
                             from ledger_entries e join turns s on s.turn_id = e.turn_id and e.entry_key = 'turn:' || s.turn_id
                            where e.account_id = a.account_id
                              and e.entry_id > coalesce((select b.entry_id from ledger_entries b
                                    where b.account_id = a.account_id
                                      and b.created_at < a.spend_day::timestamp at time zone 'UTC'
                                    order by b.entry_id desc limit 1), 0)
                              and s.status = 'settled' and (s.closed_at at time zone 'UTC')::date = a.spend_day), 0)"""));
}
