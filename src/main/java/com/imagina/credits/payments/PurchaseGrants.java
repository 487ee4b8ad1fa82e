package com.imagina.credits.payments;

import com.imagina.credits.events.EventType;
import com.imagina.credits.events.Outbox;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Ledger;
import com.imagina.credits.ledger.LedgerEntry;
import com.imagina.credits.ledger.Posting;
import com.imagina.credits.payments.CheckoutSessions.SessionRow;
import com.imagina.credits.payments.EventOutcome.Code;
import com.imagina.credits.payments.StripeEventData.SessionFacts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checkout Session events: the one place a pack's credits are granted. Runs in the event's
 * transaction with the session row locked, so however many events about one session arrive, in
 * whatever order and concurrency, the checks below see the previous one's result and the grant
 * (entry key {@code purchase:{sessionId}}) happens once.
 *
 * <p>Checks, in order: already granted → nothing; already in review → nothing; not paid yet
 * ({@code payment_status} {@code unpaid} on completion) → pending, nothing; then the payment must
 * match the offer — a known pack, a buyer, the same buyer as the session was made for, and
 * {@code amount_total}/{@code currency} equal to the pack's price — or the session goes to review
 * and nothing is granted. After this point the grant is posted.
 */
@Component
class PurchaseGrants {
    private final CheckoutSessions sessions;
    private final PackCatalog catalog;
    private final Accounts accounts;
    private final Ledger ledger;
    private final RefundClawbacks refunds;
    private final DisputeClawbacks disputes;
    private final PaymentIntentLocks locks;
    private final Outbox outbox;

    PurchaseGrants(CheckoutSessions sessions, PackCatalog catalog, Accounts accounts, Ledger ledger,
            RefundClawbacks refunds, DisputeClawbacks disputes, PaymentIntentLocks locks, Outbox outbox) {
        this.outbox = outbox;
        this.disputes = disputes;
        this.locks = locks;
        this.sessions = sessions;
        this.catalog = catalog;
        this.accounts = accounts;
        this.ledger = ledger;
        this.refunds = refunds;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    EventOutcome onSessionEvent(StripeEventType type, SessionFacts facts, Instant now) {
        String sessionId = facts.sessionId();
        if (sessionId == null || sessionId.isBlank()) {
            return new EventOutcome(Code.INVALID_EVENT, "The event carries no Checkout Session id.", null, null);
        }
        if (facts.packId() == null && sessions.find(sessionId).isEmpty()) {
            // Another product's checkout on the same Stripe account: none of ours, nothing to do.
            return new EventOutcome(Code.IGNORED, "Checkout Session " + sessionId
                    + " was not made here and names no pack (metadata.packId).", sessionId, facts.paymentIntent());
        }
        locks.lock(facts.paymentIntent()); // before the session row, as a dispute event takes them
        sessions.insertFromEventIfAbsent(sessionId, facts.accountId(), facts.packId(),
                facts.packId() == null ? null : catalog.find(facts.packId()).orElse(null), now);
        SessionRow row = sessions.lock(sessionId);
        sessions.rememberPaymentIntent(sessionId, facts.paymentIntent(), now);
        String pi = row.paymentIntent() != null ? row.paymentIntent() : facts.paymentIntent();

        if (type == StripeEventType.CHECKOUT_SESSION_EXPIRED || type == StripeEventType.CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED) {
            boolean expired = type == StripeEventType.CHECKOUT_SESSION_EXPIRED;
            SessionStatus status = expired ? SessionStatus.EXPIRED : SessionStatus.FAILED;
            if (row.status().awaitingPayment()) {
                sessions.setStatus(sessionId, status, now);
                return outcome(expired ? Code.EXPIRED : Code.FAILED, "The session is " + status + "; nothing granted.",
                        sessionId, pi);
            }
            return outcome(Code.NO_CHANGE, "The session is already " + row.status() + ".", sessionId, pi);
        }
        if (row.status() == SessionStatus.PAID) {
            return outcome(Code.ALREADY_GRANTED, "Credits for this session were granted before.", sessionId, pi);
        }
        if (row.status() == SessionStatus.REVIEW) {
            return outcome(Code.IN_REVIEW, "This session is held for review: " + row.reviewReason(), sessionId, pi);
        }
        boolean paid = type == StripeEventType.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED || "paid".equals(facts.paymentStatus())
                || "no_payment_required".equals(facts.paymentStatus());
        if (!paid) {
            sessions.setStatus(sessionId, SessionStatus.PENDING, now);
            return outcome(Code.AWAITING_PAYMENT, "Completed with payment_status " + facts.paymentStatus()
                    + ": credits are granted when the payment succeeds.", sessionId, pi);
        }
        String mismatch = mismatch(row, facts);
        if (mismatch != null) {
            sessions.markReview(sessionId, mismatch, facts.amountTotal(), facts.currency(), now);
            return outcome(Code.REVIEW, mismatch + " Nothing granted; held for review.", sessionId, pi);
        }
        // After this point the grant is posted.
        long amount = row.offerMillicredits();
        accounts.ensure(row.accountId());
        LedgerEntry entry = ledger.post(Posting.purchase(row.accountId(), amount, description(row), sessionId,
                now));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sessionId", sessionId);
        data.put("packId", row.packId());
        data.put("amountMillicredits", amount);
        data.put("amountCents", facts.amountTotal());
        data.put("currency", lower(facts.currency()));
        data.put("transactionId", entry.id());
        data.put("balanceMillicredits", entry.balanceAfterMillicredits());
        outbox.append(row.accountId(), EventType.PURCHASE_COMPLETED, data, now);
        sessions.markGranted(sessionId, amount, facts.amountTotal(), lower(facts.currency()), now);
        EventOutcome refunded = refunds.applyRecorded(sessionId, now);
        disputes.applyRecorded(sessionId, now);
        String detail = "Granted " + amount + " millicredits (pack " + row.packId() + ").";
        if (refunded.code() == Code.REFUNDED) {
            detail += " " + refunded.detail();
        }
        return outcome(Code.GRANTED, detail, sessionId, pi);
    }

    /** Why the payment does not match the offer, or null when it does. */
    private static String mismatch(SessionRow row, SessionFacts facts) {
        if (row.packId() == null || row.amountCents() == null || row.offerMillicredits() <= 0) {
            return "The session names no pack on sale (packId " + row.packId() + ").";
        }
        if (row.accountId() == null || row.accountId().isBlank()) {
            return "The session names no account (client_reference_id).";
        }
        if (facts.accountId() != null && !facts.accountId().equals(row.accountId())) {
            return "The event's account " + facts.accountId() + " is not the session's account "
                    + row.accountId() + ".";
        }
        if (facts.amountTotal() == null || facts.amountTotal().longValue() != row.amountCents()) {
            return "amount_total " + facts.amountTotal() + " does not match the pack price " + row.amountCents()
                    + ".";
        }
        if (facts.currency() == null || !lower(facts.currency()).equals(lower(row.currency()))) {
            return "currency " + facts.currency() + " does not match the pack currency " + row.currency() + ".";
        }
        return null;
    }

    private static String description(SessionRow row) {
        return "Credit pack " + row.packId() + " (" + Money.format(row.amountCents(), row.currency()) + ")";
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static EventOutcome outcome(Code code, String detail, String sessionId, String pi) {
        return new EventOutcome(code, detail, sessionId, pi);
    }
}
