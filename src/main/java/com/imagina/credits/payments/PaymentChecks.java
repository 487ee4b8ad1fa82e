package com.imagina.credits.payments;

import com.imagina.credits.ledger.Reconciliation.Check;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The payments' guarantees, added to {@code GET /api/v1/admin/reconciliation}. Payment entries carry
 * the Checkout Session id in {@code reference}; each query counts the rows that break its rule. The
 * second form of each checks only sessions and entries changed since {@code :since}.
 */
@Configuration(proxyBeanMethods = false)
class PaymentChecks {

    @Bean
    Check onePurchasePerSession() {
        return new Check("purchase_once_per_session",
                "Each Checkout Session has at most one purchase entry.", """
                select count(*) from (
                    select reference from ledger_entries
                     where type = 'purchase' and entry_key like 'purchase:%'
                     group by reference having count(*) > 1) x""", """
                select count(*) from (
                    select reference from ledger_entries
                     where type = 'purchase' and entry_key like 'purchase:%'
                       and reference in (select reference from ledger_entries
                                          where type = 'purchase' and created_at >= :since)
                     group by reference having count(*) > 1) x""");
    }

    @Bean
    Check purchaseEqualsPackGrant() {
        return new Check("purchase_equals_pack_grant",
                "Each purchase entry belongs to a paid session, its buyer, and grants exactly the pack's credits + bonus.", """
                select count(*) from ledger_entries e
                  left join checkout_sessions s on e.entry_key = 'purchase:' || s.session_id
                 where e.type = 'purchase' and e.entry_key like 'purchase:%'
                   and (s.session_id is null or s.status <> 'paid' or e.account_id <> s.account_id
                        or e.reference <> s.session_id
                        or e.amount_millicredits <> s.grant_millicredits + s.bonus_millicredits)""", """
                select count(*) from ledger_entries e
                  left join checkout_sessions s on e.entry_key = 'purchase:' || s.session_id
                 where e.type = 'purchase' and e.entry_key like 'purchase:%' and e.created_at >= :since
                   and (s.session_id is null or s.status <> 'paid' or e.account_id <> s.account_id
                        or e.reference <> s.session_id
                        or e.amount_millicredits <> s.grant_millicredits + s.bonus_millicredits)""");
    }

    @Bean
    Check refundsWithinGrant() {
        return new Check("refunds_within_grant",
                "Refunds taken back from a session never exceed what it granted.", """
                select count(*) from (
                    select r.reference, -sum(r.amount_millicredits) as taken,
                           coalesce((select sum(p.amount_millicredits) from entry_keys k join ledger_entries p
                                                  on p.entry_id = k.entry_id and p.created_at = k.created_at
                                      where k.entry_key = 'purchase:' || r.reference and p.type = 'purchase'), 0) as granted
                      from ledger_entries r
                     where r.type = 'refund' and r.entry_key like 'refund:%'
                     group by r.reference) x
                 where x.taken > x.granted or x.taken < 0""", """
                select count(*) from (
                    select r.reference, -sum(r.amount_millicredits) as taken,
                           coalesce((select sum(p.amount_millicredits) from entry_keys k join ledger_entries p
                                                  on p.entry_id = k.entry_id and p.created_at = k.created_at
                                      where k.entry_key = 'purchase:' || r.reference and p.type = 'purchase'), 0) as granted
                      from ledger_entries r
                     where r.type = 'refund' and r.entry_key like 'refund:%'
                       and r.reference in (select reference from ledger_entries
                                            where type = 'refund' and created_at >= :since)
                     group by r.reference) x
                 where x.taken > x.granted or x.taken < 0""");
    }

    @Bean
    Check paymentsAgreeWithLedger() {
        return new Check("payments_agree_with_ledger",
                "Each session's granted and refunded totals equal its ledger entries, and only paid sessions have granted.", """
                select count(*) from checkout_sessions s
                  left join (select reference, -sum(amount_millicredits) as taken from ledger_entries
                              where type = 'refund' and entry_key like 'refund:%' group by reference) r
                         on r.reference = s.session_id
                 where s.granted_millicredits <> coalesce((select e.amount_millicredits from (entry_keys k join ledger_entries e on e.entry_id = k.entry_id and e.created_at = k.created_at)
                           where k.entry_key = 'purchase:' || s.session_id and e.type = 'purchase'), 0)
                    or s.refunded_millicredits <> coalesce(r.taken, 0)
                    or (s.status = 'paid') <> (s.granted_millicredits > 0)""", """
                select count(*) from checkout_sessions s
                  left join lateral (select -sum(amount_millicredits) as taken from ledger_entries
                                      where type = 'refund' and entry_key like 'refund:%'
                                        and reference = s.session_id) r on true
                 where (s.updated_at >= :since or s.session_id in (select reference from ledger_entries
                            where type in ('purchase', 'refund') and created_at >= :since))
                   and (s.granted_millicredits <> coalesce((select e.amount_millicredits from (entry_keys k join ledger_entries e on e.entry_id = k.entry_id and e.created_at = k.created_at)
                           where k.entry_key = 'purchase:' || s.session_id and e.type = 'purchase'), 0)
                    or s.refunded_millicredits <> coalesce(r.taken, 0)
                    or (s.status = 'paid') <> (s.granted_millicredits > 0))""");
    }

    @Bean
    Check disputesAgreeWithLedger() {
        return new Check("disputes_agree_with_ledger",
                "Each dispute's taken and returned amounts equal its dispute and dispute_reversal entries, and each session holds back what its open disputes took.", """
                select (select count(*) from stripe_disputes d
                         where d.taken_millicredits <> coalesce((select -e.amount_millicredits from (entry_keys k join ledger_entries e on e.entry_id = k.entry_id and e.created_at = k.created_at)
                                   where k.entry_key = 'dispute:' || d.dispute_id and e.type = 'dispute'), 0)
                            or d.returned_millicredits <> coalesce((select e.amount_millicredits from (entry_keys k join ledger_entries e on e.entry_id = k.entry_id and e.created_at = k.created_at)
                                   where k.entry_key = 'dispute_reversal:' || d.dispute_id
                                     and e.type = 'dispute_reversal'), 0))
                     + (select count(*) from checkout_sessions s
                         where s.disputed_millicredits <> coalesce((select sum(d.taken_millicredits - d.returned_millicredits)
                                   from stripe_disputes d where d.session_id = s.session_id), 0))""");
    }
}
