package com.imagina.credits.console;

import com.imagina.credits.system.db.Rows;
import com.imagina.credits.accounts.AccountService;
import com.imagina.credits.accounts.AccountView;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.security.Caller;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/lookup?q=} and {@code GET /api/v1/admin/accounts/{accountId}} (admin only). The
 * lookup matches the term exactly against account ids, turn ids, Checkout Session ids and payment
 * intents (each a primary key or an indexed column); a term starting {@code cus_} is also looked for as
 * the {@code customer} of the Stripe events received, a scan of that table that is kept to such terms.
 */
@RestController
class ConsoleController {
    private static final int MAX_ROWS = 50;

    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final AccountService service;

    ConsoleController(JdbcClient jdbc, Accounts accounts, AccountService service) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.service = service;
    }

    /** {@code kind}: account, turn, checkout_session, payment_intent, stripe_customer; {@code id} the match. */
    record Match(String kind, String id, String accountId) {}

    record Matches(String q, List<Match> matches) {}

    @GetMapping("/api/v1/admin/lookup")
    Matches lookup(@RequestParam String q) {
        Caller.current().requireAdmin();
        String term = q.strip();
        if (term.isEmpty() || term.length() > 200) {
            throw ApiException.badRequest("q is 1 to 200 characters: an account, turn, session, payment intent or customer id.");
        }
        List<Match> found = new java.util.ArrayList<>(jdbc.sql("""
                select 'account' as kind, account_id as id, account_id from accounts where account_id = :q
                union all
                select 'turn', turn_id, account_id from turns where turn_id = :q
                union all
                select 'checkout_session', session_id, account_id from checkout_sessions where session_id = :q
                union all
                select 'payment_intent', session_id, account_id from checkout_sessions where payment_intent = :q""")
                .param("q", term).query((rs, n) -> new Match(rs.getString(1), rs.getString(2), rs.getString(3))).list());
        if (term.startsWith("cus_")) {
            found.addAll(jdbc.sql("""
                    select distinct 'stripe_customer', s.session_id, s.account_id
                      from stripe_events e join checkout_sessions s on s.session_id = e.session_id
                     where position(:q in e.payload) > 0
                       and (case when position(:q in e.payload) > 0
                                 then e.payload::jsonb #>> '{data,object,customer}' end) = :q
                     limit 50""")
                    .param("q", term).query((rs, n) -> new Match(rs.getString(1), rs.getString(2), rs.getString(3))).list());
        }
        return new Matches(term, found);
    }

    record OpenHold(String turnId, String purpose, String fundedBy, String modelId, String worldId, String journeyId,
            long holdMillicredits, Instant createdAt, Instant expiresAt) {}

    /** A settled turn that cost more than it could charge: {@code uncollected = cost − charged}. */
    record Uncollected(String turnId, long entryId, long costMillicredits, long chargedMillicredits,
            long uncollectedMillicredits, Instant at) {}

    record Purchase(String sessionId, String packId, String status, Long amountTotalCents, String currency,
            String paymentIntent, long grantedMillicredits, long refundedMillicredits, long refundedCents,
            long disputedMillicredits, String reviewReason, Instant createdAt) {}

    record AccountOverview(AccountView account, List<OpenHold> openHolds, long uncollectedMillicredits,
            List<Uncollected> uncollected, List<Purchase> purchases) {}

    @GetMapping("/api/v1/admin/accounts/{accountId}")
    AccountOverview account(@PathVariable String accountId) {
        Caller.current().requireAdmin();
        if (accounts.find(accountId).isEmpty()) {
            throw ApiException.notFound("unknown_account", "No account '" + accountId + "'.");
        }
        AccountView view = service.view(accountId); // lets overdue holds and grants go first, as the player sees it
        List<OpenHold> holds = jdbc.sql("""
                select turn_id, purpose, funded_by, model_id, world_id, journey_id, hold_millicredits, created_at, expires_at
                  from turns where account_id = :a and status = 'authorized' order by created_at limit :max""")
                .param("a", accountId).param("max", MAX_ROWS)
                .query((rs, n) -> new OpenHold(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getLong(7), Rows.instant(rs, "created_at"),
                        Rows.instant(rs, "expires_at")))
                .list();
        // What each settle could not collect (turns.uncollected_millicredits, the partial index of such turns).
        List<Uncollected> uncollected = jdbc.sql("""
                select t.turn_id, coalesce(k.entry_id, 0), t.cost_millicredits, t.charged_millicredits,
                       t.uncollected_millicredits, t.closed_at
                  from turns t left join entry_keys k on k.entry_key = 'turn:' || t.turn_id
                 where t.account_id = :a and t.uncollected_millicredits > 0
                 order by t.closed_at desc""")
                .param("a", accountId)
                .query((rs, n) -> new Uncollected(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), Rows.instant(rs, "closed_at")))
                .list();
        long total = uncollected.stream().mapToLong(Uncollected::uncollectedMillicredits).sum();
        List<Purchase> purchases = jdbc.sql("""
                select session_id, pack_id, status, amount_total_cents, coalesce(paid_currency, currency) as currency,
                       payment_intent, granted_millicredits, refunded_millicredits, refunded_cents,
                       disputed_millicredits, review_reason, created_at
                  from checkout_sessions where account_id = :a order by created_at desc limit :max""")
                .param("a", accountId).param("max", MAX_ROWS)
                .query((rs, n) -> new Purchase(rs.getString(1), rs.getString(2), rs.getString(3),
                        (Long) rs.getObject(4), rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8),
                        rs.getLong(9), rs.getLong(10), rs.getString(11), Rows.instant(rs, "created_at")))
                .list();
        return new AccountOverview(view, holds, total, uncollected.size() > MAX_ROWS
                ? List.copyOf(uncollected.subList(0, MAX_ROWS)) : uncollected, purchases);
    }
}
