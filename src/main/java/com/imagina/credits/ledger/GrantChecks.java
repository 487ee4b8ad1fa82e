package com.imagina.credits.ledger;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The grants' invariants, checked by {@code GET /api/v1/admin/reconciliation}; each SQL counts violations. A full
 * form joins entries on their key column (a hash of every entry); an incremental form finds a grant's entry through
 * {@code entry_keys} and then by the entry's primary key (V114: {@code ledger_entries} has no index on the key).
 */
@Configuration(proxyBeanMethods = false)
class GrantChecks {

    @Bean
    Reconciliation.Check promotionalCreditsAreTheGrantsRemainders() {
        return new Reconciliation.Check("promotional_credits_are_grant_remainders",
                "Each account's promotional credits equal the remainders of its live grants less the promotional"
                        + " spend not yet applied to them.", """
                select count(*) from accounts a
                  left join (select account_id, sum(remaining_millicredits) as remaining from credit_grants
                              where expired_at is null group by account_id) g on g.account_id = a.account_id
                 where a.promo_millicredits <> coalesce(g.remaining, 0) - a.promo_unallocated_millicredits""", """
                select count(*) from accounts a
                  left join (select account_id, sum(remaining_millicredits) as remaining from credit_grants
                              where expired_at is null group by account_id) g on g.account_id = a.account_id
                 where a.account_id in (select account_id from ledger_entries where created_at >= :since)
                   and a.promo_millicredits <> coalesce(g.remaining, 0) - a.promo_unallocated_millicredits""");
    }

    @Bean
    Reconciliation.Check grantCreditedOnce() {
        return new Reconciliation.Check("grant_credited_once",
                "Every grant has exactly one grant entry crediting its account its amount.", """
                select count(*) from credit_grants g
                  left join ledger_entries e on e.entry_key = 'grant:' || g.grant_id
                 where e.entry_id is null or e.type <> 'grant' or e.account_id <> g.account_id
                    or e.amount_millicredits <> g.amount_millicredits""", """
                select count(*) from credit_grants g
                  left join (entry_keys k join ledger_entries e on e.entry_id = k.entry_id and e.created_at = k.created_at)
                         on k.entry_key = 'grant:' || g.grant_id
                 where g.created_at >= :since
                   and (e.entry_id is null or e.type <> 'grant' or e.account_id <> g.account_id
                        or e.amount_millicredits <> g.amount_millicredits)""");
    }

    @Bean
    Reconciliation.Check expiredGrantHasOneExpiry() {
        return new Reconciliation.Check("expired_grant_has_one_expiry",
                "Every grant that expired with credits left has exactly one expiry entry taking them; no other"
                        + " grant has one, and no expiry entry is without its grant.", """
                select (select count(*) from credit_grants g
                          left join ledger_entries e on e.entry_key = 'expiry:' || g.grant_id
                         where coalesce(g.expired_millicredits, 0) <> coalesce(-e.amount_millicredits, 0)
                            or (e.entry_id is not null and (e.type <> 'expiry' or e.account_id <> g.account_id)))
                     + (select count(*) from ledger_entries e
                         where e.type = 'expiry'
                           and not exists (select 1 from credit_grants g
                                            where g.grant_id = e.reference and e.entry_key = 'expiry:' || g.grant_id))""", """
                select (select count(*) from credit_grants g
                          left join (entry_keys k join ledger_entries e on e.entry_id = k.entry_id and e.created_at = k.created_at)
                                 on k.entry_key = 'expiry:' || g.grant_id
                         where g.expired_at >= :since
                           and (coalesce(g.expired_millicredits, 0) <> coalesce(-e.amount_millicredits, 0)
                                or (e.entry_id is not null and (e.type <> 'expiry' or e.account_id <> g.account_id))))
                     + (select count(*) from ledger_entries e
                         where e.type = 'expiry' and e.created_at >= :since
                           and not exists (select 1 from credit_grants g
                                            where g.grant_id = e.reference and e.entry_key = 'expiry:' || g.grant_id))""");
    }

    @Bean
    Reconciliation.Check earnedCreditsWithinRevenueShare() {
        return new Reconciliation.Check("earned_credits_within_revenue_share",
                "No account holds more earned credits than the revenue share it was paid.", """
                select count(*) from accounts a
                  left join (select account_id, sum(amount_millicredits) as paid from ledger_entries
                              where type = 'revenue_share' group by account_id) r on r.account_id = a.account_id
                 where a.earned_millicredits > coalesce(r.paid, 0)""", """
                select count(*) from accounts a
                  left join (select account_id, sum(amount_millicredits) as paid from ledger_entries
                              where type = 'revenue_share' group by account_id) r on r.account_id = a.account_id
                 where a.account_id in (select account_id from ledger_entries where created_at >= :since)
                   and a.earned_millicredits > coalesce(r.paid, 0)""");
    }
}
