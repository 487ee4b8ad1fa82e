package com.imagina.credits.ledger;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Checks the ledger's guarantees against the stored data, one query each; every query counts the rows
 * that break its rule, so 0 everywhere means the books balance. Other packages (payments, payouts)
 * add their own checks as {@link Check} beans.
 */
@Component
public class Reconciliation {
    private final JdbcClient jdbc;
    private final List<Check> extraChecks;

    public Reconciliation(JdbcClient jdbc, ObjectProvider<Check> extraChecks) {
        this.jdbc = jdbc;
        this.extraChecks = extraChecks.orderedStream().toList();
    }

    /** A named invariant: SQL that counts violating rows. */
    public record Check(String name, String description, String violationsSql) {}

    public record CheckResult(String name, String description, boolean ok, long violations) {}

    public record Report(boolean ok, List<CheckResult> checks) {}

    static final List<Check> CORE = List.of(
            new Check("balance_equals_sum_of_entries", "Each account's balance equals the sum of its ledger entries.", """
                    select count(*) from accounts a
                     where a.balance_millicredits <> coalesce(
                           (select sum(e.amount_millicredits) from ledger_entries e where e.account_id = a.account_id), 0)"""),
            new Check("held_equals_sum_of_open_holds", "Each account's held amount equals the sum of its open credit holds.", """
                    select count(*) from accounts a
                     where a.held_millicredits <> coalesce(
                           (select sum(t.hold_millicredits) from turns t
                             where t.account_id = a.account_id and t.status = 'authorized'), 0)"""),
            new Check("balance_after_is_running_sum", "Each entry's balance after equals the running sum of the account's entries.", """
                    select count(*) from (
                        select balance_after_millicredits,
                               sum(amount_millicredits) over (partition by account_id order by entry_id) as running
                          from ledger_entries) x
                     where x.balance_after_millicredits <> x.running"""),
            new Check("free_turns_counted", "Free turns used today equals the free turns authorized or settled that day.", """
                    select count(*) from accounts a
                     where a.free_turns_day is not null and a.free_turns_used <> (
                           select count(*) from turns t where t.account_id = a.account_id and t.funded_by = 'free_turn'
                              and t.free_turn_day = a.free_turns_day and t.status in ('authorized', 'settled'))"""),
            new Check("settled_turn_has_one_entry", "Every settled turn has exactly one ledger entry that charges what the turn says.", """
                    select count(*) from turns t
                     where t.status = 'settled' and 1 <> (
                           select count(*) from ledger_entries e
                            where e.turn_id = t.turn_id and e.entry_key = 'turn:' || t.turn_id
                              and e.amount_millicredits = -t.charged_millicredits
                              and e.full_cost_millicredits = t.cost_millicredits)"""),
            new Check("no_entry_without_settled_turn", "Every turn entry belongs to a settled turn.", """
                    select count(*) from ledger_entries e
                     where e.entry_key like 'turn:%' and not exists (
                           select 1 from turns t where t.turn_id = e.turn_id and t.status = 'settled')"""),
            new Check("free_turns_charge_nothing", "Free turns are charged 0 and paid turns their full cost.", """
                    select count(*) from turns t
                     where t.status = 'settled' and ((t.funded_by = 'free_turn' and t.charged_millicredits <> 0)
                        or (t.funded_by = 'credits' and t.charged_millicredits <> t.cost_millicredits))"""),
            new Check("spend_today_matches_charges", "Today's paid spend on each account equals its paid charges settled that day.", """
                    select count(*) from accounts a
                     where a.spend_day is not null and a.spent_on_spend_day_millicredits <> coalesce((
                           select sum(t.charged_millicredits) from turns t
                            where t.account_id = a.account_id and t.status = 'settled'
                              and (t.closed_at at time zone 'UTC')::date = a.spend_day), 0)"""));

    public Report run() {
        List<CheckResult> results = new ArrayList<>();
        for (Check check : CORE) {
            results.add(evaluate(check));
        }
        for (Check check : extraChecks) {
            results.add(evaluate(check));
        }
        return new Report(results.stream().allMatch(CheckResult::ok), results);
    }

    private CheckResult evaluate(Check check) {
        long violations = jdbc.sql(check.violationsSql()).query(Long.class).single();
        return new CheckResult(check.name(), check.description(), violations == 0, violations);
    }
}
