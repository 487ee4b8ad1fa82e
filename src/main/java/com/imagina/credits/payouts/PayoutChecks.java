package com.imagina.credits.payouts;

import com.imagina.credits.ledger.Reconciliation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The payout's invariants, checked by {@code GET /api/v1/admin/reconciliation}; each SQL counts violations,
 * the second form of each only for payouts (and entries) made since {@code :since}.
 */
@Configuration(proxyBeanMethods = false)
class PayoutChecks {

    @Bean
    Reconciliation.Check revenueSharePayoutMatchesItsCharges() {
        return new Reconciliation.Check("revenue_share_payout_matches_its_charges",
                "Each payout's recorded sum and count are those of the charges marked with it, and its amount is"
                        + " round_half_up(sum × share percent / 100).", """
                select count(*) from revenue_share_payouts p
                  left join lateral (select coalesce(sum(t.revenue_share_base_millicredits), 0) as total, count(*) as n
                                       from turns t where t.revenue_share_payout_id = p.payout_id) c on true
                 where c.total <> p.charges_millicredits or c.n <> p.charge_count
                    or p.amount_millicredits <> round(p.charges_millicredits * p.share_percent / 100)""", """
                select count(*) from revenue_share_payouts p
                  left join lateral (select coalesce(sum(t.revenue_share_base_millicredits), 0) as total, count(*) as n
                                       from turns t where t.revenue_share_payout_id = p.payout_id) c on true
                 where p.created_at >= :since
                   and (c.total <> p.charges_millicredits or c.n <> p.charge_count
                    or p.amount_millicredits <> round(p.charges_millicredits * p.share_percent / 100))""");
    }

    @Bean
    Reconciliation.Check revenueSharePayoutHasItsEntry() {
        return new Reconciliation.Check("revenue_share_payout_has_its_entry",
                "Each payout with a non-zero amount has exactly one revenue_share entry crediting its owner that"
                        + " amount for its world; a zero payout has none.", """
                select count(*) from revenue_share_payouts p
                 where (p.amount_millicredits > 0 and 1 <> (
                           select count(*) from ledger_entries e
                            where e.entry_id = p.ledger_entry_id and e.type = 'revenue_share'
                              and e.account_id = p.owner_id and e.world_id = p.world_id
                              and e.amount_millicredits = p.amount_millicredits))
                    or (p.amount_millicredits = 0 and p.ledger_entry_id is not null)""", """
                select count(*) from revenue_share_payouts p
                 where p.created_at >= :since
                   and ((p.amount_millicredits > 0 and 1 <> (
                           select count(*) from ledger_entries e
                            where e.entry_id = p.ledger_entry_id and e.type = 'revenue_share'
                              and e.account_id = p.owner_id and e.world_id = p.world_id
                              and e.amount_millicredits = p.amount_millicredits))
                    or (p.amount_millicredits = 0 and p.ledger_entry_id is not null))""");
    }

    @Bean
    Reconciliation.Check revenueShareEntryHasOnePayout() {
        return new Reconciliation.Check("revenue_share_entry_has_one_payout",
                "Every revenue_share entry in the ledger was posted by exactly one payout.", """
                select count(*) from ledger_entries e
                 where e.type = 'revenue_share'
                   and 1 <> (select count(*) from revenue_share_payouts p where p.ledger_entry_id = e.entry_id)""", """
                select count(*) from ledger_entries e
                 where e.type = 'revenue_share' and e.created_at >= :since
                   and 1 <> (select count(*) from revenue_share_payouts p where p.ledger_entry_id = e.entry_id)""");
    }

    @Bean
    Reconciliation.Check revenueSharePaidChargesAreEligible() {
        return new Reconciliation.Check("revenue_share_paid_charges_are_eligible",
                "Every charge a payout paid is a settled, paid play by another player in a then-published world,"
                        + " of the payout's owner, world and UTC day.", """
                select count(*) from turns t
                  join revenue_share_payouts p on p.payout_id = t.revenue_share_payout_id
                 where not""" + RevenueShare.ELIGIBLE + """
                    or t.world_id <> p.world_id or t.world_owner_id <> p.owner_id
                    or (t.closed_at at time zone 'UTC')::date <> p.day""", """
                select count(*) from turns t
                  join revenue_share_payouts p on p.payout_id = t.revenue_share_payout_id
                 where p.created_at >= :since and (not""" + RevenueShare.ELIGIBLE + """
                    or t.world_id <> p.world_id or t.world_owner_id <> p.owner_id
                    or (t.closed_at at time zone 'UTC')::date <> p.day)""");
    }
}
