package com.imagina.credits.payments;

import com.imagina.credits.system.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code checkout_sessions} rows: one per Checkout Session, created when the player starts a
 * checkout (or when a webhook names a session we never created). Every change to a session that may
 * move credits happens under {@link #lock}, in the transaction that posts the ledger entry.
 */
@Component
class CheckoutSessions {
    private static final String COLUMNS = """
            session_id, account_id, pack_id, source, status, amount_cents, currency, grant_millicredits,
            bonus_millicredits, url, amount_total_cents, paid_currency, payment_intent, granted_millicredits,
            refunded_millicredits, refunded_cents, review_reason, created_at, updated_at, disputed_millicredits
            """;

    private final JdbcClient jdbc;

    CheckoutSessions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored session. {@code amountCents}/{@code currency}/grant are the offer; the rest is what happened. */
    record SessionRow(String sessionId, String accountId, String packId, SessionSource source, SessionStatus status,
            Long amountCents, String currency, long grantMillicredits, long bonusMillicredits, String url,
            Long amountTotalCents, String paidCurrency, String paymentIntent, long grantedMillicredits,
            long refundedMillicredits, long refundedCents, String reviewReason, Instant createdAt,
            Instant updatedAt, long disputedMillicredits) {

        /** What refunds and open disputes may still take back: never more than was granted in total. */
        long takeableMillicredits() {
            return Math.max(0, grantedMillicredits - refundedMillicredits - disputedMillicredits);
        }

        long offerMillicredits() {
            return grantMillicredits + bonusMillicredits;
        }
    }

    /** A session the player just started, with the pack's price and grant as offered. */
    void insertOpen(String sessionId, String accountId, Pack pack, SessionSource source, String url, Instant now) {
        jdbc.sql("""
                insert into checkout_sessions (session_id, account_id, pack_id, source, status, amount_cents, currency,
                       grant_millicredits, bonus_millicredits, url, created_at, updated_at)
                values (:id, :account, :pack, :source, 'open', :amount, :currency, :grant, :bonus, :url, :now, :now)
                on conflict do nothing""")
                .param("id", sessionId).param("account", accountId).param("pack", pack.id())
                .param("source", source.wireName()).param("amount", pack.priceCents()).param("currency", pack.currency())
                .param("grant", pack.grantMillicredits()).param("bonus", pack.bonusMillicredits())
                .param("url", url).param("now", Timestamp.from(now)).update();
    }

    /**
     * A session first heard of in a webhook: the offer is the pack its metadata names, as on sale now
     * (null when the pack is unknown, which sends the session to review).
     */
    void insertFromEventIfAbsent(String sessionId, String accountId, String packId, Pack pack, Instant now) {
        jdbc.sql("""
                insert into checkout_sessions (session_id, account_id, pack_id, source, status, amount_cents, currency,
                       grant_millicredits, bonus_millicredits, created_at, updated_at)
                values (:id, :account, :pack, 'webhook', 'open', :amount, :currency, :grant, :bonus, :now, :now)
                on conflict do nothing""")
                .param("id", sessionId).param("account", accountId).param("pack", packId)
                .param("amount", pack == null ? null : pack.priceCents())
                .param("currency", pack == null ? null : pack.currency())
                .param("grant", pack == null ? 0 : pack.grantMillicredits())
                .param("bonus", pack == null ? 0 : pack.bonusMillicredits())
                .param("now", Timestamp.from(now)).update();
    }

    Optional<SessionRow> find(String sessionId) {
        return jdbc.sql("select " + COLUMNS + " from checkout_sessions where session_id = :id")
                .param("id", sessionId).query(CheckoutSessions::map).optional();
    }

    /** The row, locked until the transaction ends: grants and refunds of one session run one at a time. */
    SessionRow lock(String sessionId) {
        return jdbc.sql("select " + COLUMNS + " from checkout_sessions where session_id = :id for update")
                .param("id", sessionId).query(CheckoutSessions::map).single();
    }

    /** The session a payment intent paid, locked; a granted one first should two ever share it. */
    Optional<SessionRow> lockByPaymentIntent(String paymentIntent) {
        return jdbc.sql("select " + COLUMNS + """
                  from checkout_sessions where payment_intent = :pi
                 order by (status = 'paid') desc, created_at limit 1 for update""")
                .param("pi", paymentIntent).query(CheckoutSessions::map).optional();
    }

    void rememberPaymentIntent(String sessionId, String paymentIntent, Instant now) {
        if (paymentIntent == null) return;
        jdbc.sql("""
                update checkout_sessions set payment_intent = :pi, updated_at = :now
                 where session_id = :id and payment_intent is null""")
                .param("pi", paymentIntent).param("now", Timestamp.from(now)).param("id", sessionId).update();
    }

    void setStatus(String sessionId, SessionStatus status, Instant now) {
        jdbc.sql("update checkout_sessions set status = :status, updated_at = :now where session_id = :id")
                .param("status", status.wireName()).param("now", Timestamp.from(now)).param("id", sessionId).update();
    }

    void markReview(String sessionId, String reason, Long amountTotalCents, String paidCurrency, Instant now) {
        jdbc.sql("""
                update checkout_sessions set status = 'review', review_reason = :reason, amount_total_cents = :total,
                       paid_currency = :currency, updated_at = :now
                 where session_id = :id""")
                .param("reason", reason).param("total", amountTotalCents).param("currency", paidCurrency)
                .param("now", Timestamp.from(now)).param("id", sessionId).update();
    }

    void markGranted(String sessionId, long grantedMillicredits, long amountTotalCents, String paidCurrency,
            Instant now) {
        jdbc.sql("""
                update checkout_sessions set status = 'paid', granted_millicredits = :granted,
                       amount_total_cents = :total, paid_currency = :currency, review_reason = null, updated_at = :now
                 where session_id = :id""")
                .param("granted", grantedMillicredits).param("total", amountTotalCents).param("currency", paidCurrency)
                .param("now", Timestamp.from(now)).param("id", sessionId).update();
    }

    void markRefunded(String sessionId, long refundedMillicredits, long refundedCents, Instant now) {
        jdbc.sql("""
                update checkout_sessions set refunded_millicredits = :refunded, refunded_cents = :cents,
                       updated_at = :now
                 where session_id = :id""")
                .param("refunded", refundedMillicredits).param("cents", refundedCents)
                .param("now", Timestamp.from(now)).param("id", sessionId).update();
    }

    /** Disputes now hold back {@code delta} more (or, negative, less) of the session's grant. */
    void addDisputed(String sessionId, long delta, Instant now) {
        jdbc.sql("""
                update checkout_sessions set disputed_millicredits = disputed_millicredits + :delta, updated_at = :now
                 where session_id = :id""")
                .param("delta", delta).param("now", Timestamp.from(now)).param("id", sessionId).update();
    }

    /** The sessions a search term names: a session id or a payment intent. */
    List<SessionRow> findByIdOrPaymentIntent(String term) {
        return jdbc.sql("select " + COLUMNS + """
                  from checkout_sessions where session_id = :t or payment_intent = :t limit 20""")
                .param("t", term).query(CheckoutSessions::map).list();
    }

    /** An account's sessions, newest first. */
    List<SessionRow> ofAccount(String accountId, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                  from checkout_sessions where account_id = :a order by created_at desc limit :limit""")
                .param("a", accountId).param("limit", limit).query(CheckoutSessions::map).list();
    }

    private static SessionRow map(ResultSet rs, int row) throws SQLException {
        return new SessionRow(
                rs.getString("session_id"),
                rs.getString("account_id"),
                rs.getString("pack_id"),
                SessionSource.fromWire(rs.getString("source")),
                SessionStatus.fromWire(rs.getString("status")),
                (Long) rs.getObject("amount_cents"),
                rs.getString("currency"),
                rs.getLong("grant_millicredits"),
                rs.getLong("bonus_millicredits"),
                rs.getString("url"),
                (Long) rs.getObject("amount_total_cents"),
                rs.getString("paid_currency"),
                rs.getString("payment_intent"),
                rs.getLong("granted_millicredits"),
                rs.getLong("refunded_millicredits"),
                rs.getLong("refunded_cents"),
                rs.getString("review_reason"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"),
                rs.getLong("disputed_millicredits"));
    }
}
