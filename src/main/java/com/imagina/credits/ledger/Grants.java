package com.imagina.credits.ledger;

import com.imagina.credits.system.db.Rows;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.imagina.credits.events.EventType;
import com.imagina.credits.events.Outbox;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Promotional and goodwill credit grants: the rows that say what is left of each, and when it expires.
 *
 * <p>A charge takes promotional credits from the account row's {@code promo_millicredits} in the one
 * statement that moves the balance ({@link Ledger}), and counts them in
 * {@code promo_unallocated_millicredits}. Which grants they came from is decided here, soonest-expiring
 * first (then grants without expiry, then the oldest): {@link #allocate} applies the unallocated spend
 * to the grant rows. Because spending takes grants in a fixed order, applying the total spent since the
 * last allocation gives exactly what applying each charge in turn would have given — as long as the set
 * of live grants did not change in between. So every change of that set (a new grant, an expiry)
 * allocates first, under the account row's lock. Readers that need the remainders before that
 * ({@link #expiring}) compute the same allocation in the query.
 *
 * <p>Invariant (checked by reconciliation): for every account, the sum of its live grants' remainders
 * minus its unallocated spend equals {@code promo_millicredits}.
 */
@Component
public class Grants {
    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final Outbox outbox;

    Grants(JdbcClient jdbc, Ledger ledger, Outbox outbox) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.outbox = outbox;
    }

    /** The kinds an admin grants, as the contract names them. */
    public enum Kind {
        PROMOTIONAL, GOODWILL;

        @JsonValue
        public String wireName() {
            return name().toLowerCase();
        }

        @JsonCreator
        static Kind fromWire(String value) {
            return Arrays.stream(values()).filter(k -> k.wireName().equals(value)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("kind must be 'promotional' or 'goodwill'."));
        }
    }

    /** A grant to create: {@code expiresAt} null for one that never expires. */
    public record NewGrant(String grantId, String accountId, Kind kind, long amountMillicredits, Instant expiresAt,
            String reason, Instant createdAt) {}

    /** One line of the account's "expiring" list: what is left of the grants expiring at that instant. */
    public record Expiring(long amountMillicredits, Instant expiresAt) {}

    /**
     * Creates the grant and credits it (a {@code grant} entry keyed {@code grant:{grantId}}), in the
     * caller's transaction. The account must exist. A grant id used before fails on the entry key.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public LedgerEntry create(NewGrant g) {
        lockAccount(g.accountId());
        allocate(g.accountId());
        jdbc.sql("""
                insert into credit_grants (grant_id, account_id, kind, amount_millicredits, remaining_millicredits,
                       expires_at, reason, created_at)
                values (:grantId, :accountId, :kind, :amount, :amount, :expiresAt, :reason, :createdAt)""")
                .param("grantId", g.grantId()).param("accountId", g.accountId()).param("kind", g.kind().wireName())
                .param("amount", g.amountMillicredits())
                .param("expiresAt", g.expiresAt() == null ? null : Timestamp.from(g.expiresAt()))
                .param("reason", g.reason()).param("createdAt", Timestamp.from(g.createdAt()))
                .update();
        String description = (g.kind() == Kind.GOODWILL ? "Goodwill credits" : "Promotional credits")
                + (g.expiresAt() == null ? "" : ", expire " + g.expiresAt()) + ": " + g.reason();
        LedgerEntry entry = ledger.post(Posting.grant(g.accountId(), g.amountMillicredits(), description,
                g.grantId(), g.createdAt()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("grantId", g.grantId());
        data.put("kind", g.kind().wireName());
        data.put("amountMillicredits", g.amountMillicredits());
        data.put("expiresAt", g.expiresAt() == null ? null : g.expiresAt().toString());
        data.put("reason", g.reason());
        data.put("transactionId", entry.id());
        data.put("balanceMillicredits", entry.balanceAfterMillicredits());
        outbox.append(g.accountId(), EventType.GRANT_CREATED, data, g.createdAt());
        return entry;
    }

    /**
     * Applies the promotional credits spent since the last allocation to the live grants, in spending
     * order: grant i keeps {@code clamp(through_i - unallocated, 0, remaining_i)}, where
     * {@code through_i} is the running sum of the remainders up to and including it. The caller holds
     * the account row's lock, so no charge runs meanwhile.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void allocate(String accountId) {
        int changed = jdbc.sql("""
                update credit_grants g
                   set remaining_millicredits = greatest(0, least(g.remaining_millicredits,
                                                                  o.through - a.promo_unallocated_millicredits))
                  from (select grant_id,
                               sum(remaining_millicredits) over (order by expires_at asc nulls last, created_at, grant_id)
                                   as through
                          from credit_grants
                         where account_id = :accountId and expired_at is null) o,
                       accounts a
                 where g.grant_id = o.grant_id and a.account_id = :accountId
                   and a.promo_unallocated_millicredits > 0""")
                .param("accountId", accountId).update();
        if (changed > 0) {
            jdbc.sql("update accounts set promo_unallocated_millicredits = 0 where account_id = :accountId")
                    .param("accountId", accountId).update();
        }
    }

    /**
     * Expires the account's grants that are due at {@code now}, each once: what is left of it becomes an
     * {@code expiry} entry (keyed {@code expiry:{grantId}}; none when nothing was left). A grant whose
     * account still has a credit hold placed before the grant's expiry waits until that turn closes (at
     * most the hold TTL): the turn settles from the credits it held, whatever their kind, and what is
     * then left expires. Returns how many grants expired. Runs in the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int expireDue(String accountId, Instant now) {
        lockAccount(accountId);
        List<String> due = jdbc.sql("""
                select g.grant_id from credit_grants g
                 where g.account_id = :accountId and g.expired_at is null and g.expires_at <= :now
                   and not exists (select 1 from turns t
                                    where t.account_id = g.account_id and t.status = 'authorized'
                                      and t.funded_by = 'credits' and t.expires_at > :now
                                      and t.created_at < g.expires_at)
                 order by g.expires_at, g.created_at, g.grant_id""")
                .param("accountId", accountId).param("now", Timestamp.from(now)).query(String.class).list();
        if (due.isEmpty()) {
            return 0;
        }
        allocate(accountId);
        for (String grantId : due) {
            long left = jdbc.sql("""
                    update credit_grants set expired_at = :now, expired_millicredits = remaining_millicredits,
                           remaining_millicredits = 0
                     where grant_id = :grantId and expired_at is null
                    returning expired_millicredits""")
                    .param("now", Timestamp.from(now)).param("grantId", grantId).query(Long.class).single();
            Long entryId = null;
            if (left > 0) {
                entryId = ledger.post(Posting.grantExpiry(accountId, left, grantId, now)).id();
            }
            // grant.expired, also for a grant spent to nothing (no entry then): the promotion is over.
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("grantId", grantId);
            data.put("expiredMillicredits", left);
            data.put("transactionId", entryId);
            outbox.append(accountId, EventType.GRANT_EXPIRED, data, now);
        }
        return due.size();
    }

    /** Accounts with a grant due at {@code now}, for the sweep. */
    public List<String> accountsWithDueGrants(Instant now, int limit) {
        return jdbc.sql("""
                select distinct account_id from credit_grants
                 where expired_at is null and expires_at <= :now limit :limit""")
                .param("now", Timestamp.from(now)).param("limit", limit).query(String.class).list();
    }

    /** Whether the account has a grant due at {@code now} (the lazy check of readers). */
    public boolean hasDueGrants(String accountId, Instant now) {
        return jdbc.sql("""
                select exists (select 1 from credit_grants
                                where account_id = :accountId and expired_at is null and expires_at <= :now)""")
                .param("accountId", accountId).param("now", Timestamp.from(now)).query(Boolean.class).single();
    }

    /**
     * What is left of the account's expiring grants, soonest first, one line per expiry instant; the
     * unallocated spend is applied in the query exactly as {@link #allocate} would.
     */
    public List<Expiring> expiring(String accountId) {
        return jdbc.sql("""
                select sum(x.left_millicredits) as amount, x.expires_at
                  from (select g.expires_at,
                               greatest(0, least(g.remaining_millicredits,
                                   sum(g.remaining_millicredits) over (order by g.expires_at asc nulls last,
                                                                        g.created_at, g.grant_id)
                                   - a.promo_unallocated_millicredits)) as left_millicredits
                          from credit_grants g join accounts a on a.account_id = g.account_id
                         where g.account_id = :accountId and g.expired_at is null) x
                 where x.expires_at is not null and x.left_millicredits > 0
                 group by x.expires_at
                 order by x.expires_at""")
                .param("accountId", accountId)
                .query((rs, n) -> new Expiring(rs.getLong("amount"), Rows.instant(rs, "expires_at")))
                .list();
    }

    /** The balance by kind of credit, in spending order (purchased may be negative: debt). */
    public record Credits(long promotionalMillicredits, long earnedMillicredits, long purchasedMillicredits) {}

    public Optional<Credits> credits(String accountId) {
        return jdbc.sql("""
                select promo_millicredits, earned_millicredits,
                       balance_millicredits - promo_millicredits - earned_millicredits as purchased
                  from accounts where account_id = :accountId""")
                .param("accountId", accountId)
                .query((rs, n) -> new Credits(rs.getLong(1), rs.getLong(2), rs.getLong(3))).optional();
    }

    private void lockAccount(String accountId) {
        jdbc.sql("select 1 from accounts where account_id = :accountId for update")
                .param("accountId", accountId).query(Integer.class).optional()
                .orElseThrow(() -> new IllegalStateException("No account " + accountId + " (Accounts.ensure first)"));
    }
}
