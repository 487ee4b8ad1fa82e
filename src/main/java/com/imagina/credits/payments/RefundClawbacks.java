package com.imagina.credits.payments;

import com.imagina.credits.events.EventType;
import com.imagina.credits.events.Outbox;
import com.imagina.credits.ledger.Ledger;
import com.imagina.credits.ledger.LedgerEntry;
import com.imagina.credits.ledger.Posting;
import com.imagina.credits.payments.CheckoutSessions.SessionRow;
import com.imagina.credits.payments.EventOutcome.Code;
import com.imagina.credits.payments.StripeEventData.ChargeFacts;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code charge.refunded}: takes back the refunded share of a session's grant. Stripe reports the
 * charge's cumulative {@code amount_refunded}; the target taken back is
 * {@code grant × amount_refunded / amount_total}, half-up, never more than the grant, and each event
 * posts only {@code target − already taken back} as a {@code refund} entry (key
 * {@code refund:{sessionId}:{amountRefundedCents}}). A refund that arrives before the grant is kept in
 * {@code stripe_refunds} and applied by the grant itself.
 */
@Component
class RefundClawbacks {
    private final CheckoutSessions sessions;
    private final StripeRefunds refunds;
    private final Ledger ledger;
    private final PaymentIntentLocks locks;
    private final Outbox outbox;

    RefundClawbacks(CheckoutSessions sessions, StripeRefunds refunds, Ledger ledger, PaymentIntentLocks locks,
            Outbox outbox) {
        this.outbox = outbox;
        this.locks = locks;
        this.sessions = sessions;
        this.refunds = refunds;
        this.ledger = ledger;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    EventOutcome onChargeRefunded(ChargeFacts charge, Instant now) {
        String pi = charge.paymentIntent();
        if (pi == null || pi.isBlank()) {
            return new EventOutcome(Code.UNKNOWN_PAYMENT, "Charge " + charge.chargeId()
                    + " has no payment_intent: it is no credit pack purchase. Nothing moved.", null, null);
        }
        locks.lock(pi);
        refunds.record(pi, charge.chargeId(), charge.amount(), charge.amountRefunded(), charge.currency(), now);
        Optional<SessionRow> row = sessions.lockByPaymentIntent(pi);
        if (row.isEmpty()) {
            return new EventOutcome(Code.UNKNOWN_PAYMENT, "No checkout session is paid by " + pi
                    + "; the refund (" + charge.amountRefunded() + ") is recorded and nothing moved.", null, pi);
        }
        return apply(row.get(), now);
    }

    /** Applies whatever refund is recorded for the session's payment; called by the grant. */
    @Transactional(propagation = Propagation.MANDATORY)
    EventOutcome applyRecorded(String sessionId, Instant now) {
        return apply(sessions.lock(sessionId), now);
    }

    private EventOutcome apply(SessionRow row, Instant now) {
        String sessionId = row.sessionId();
        String pi = row.paymentIntent();
        long refundedCents = pi == null ? 0 : refunds.amountRefundedCents(pi).orElse(0L);
        if (row.grantedMillicredits() == 0 || row.amountTotalCents() == null || row.amountTotalCents() <= 0) {
            return new EventOutcome(Code.REFUND_RECORDED, "Nothing was granted for this session (" + row.status()
                    + "); the refund is recorded and applied if a grant happens.", sessionId, pi);
        }
        long target = share(row.grantedMillicredits(), refundedCents, row.amountTotalCents());
        // Never more than open disputes have left of the grant; a dispute won later leaves the rest to a later refund.
        long take = Math.min(target - row.refundedMillicredits(), row.takeableMillicredits());
        if (take <= 0) {
            return new EventOutcome(Code.REFUND_ALREADY_APPLIED, "amount_refunded " + refundedCents
                    + " was already taken back (" + row.refundedMillicredits() + " millicredits).", sessionId, pi);
        }
        LedgerEntry entry = ledger.post(Posting.refund(row.accountId(), take,
                "Refund of credit pack " + row.packId() + " (" + Money.format(refundedCents, row.paidCurrency())
                        + " of " + Money.format(row.amountTotalCents(), row.paidCurrency()) + " refunded)",
                sessionId, refundedCents, now));
        sessions.markRefunded(sessionId, row.refundedMillicredits() + take, refundedCents, now);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sessionId", sessionId);
        data.put("amountMillicredits", take);
        data.put("refundedTotalMillicredits", row.refundedMillicredits() + take);
        data.put("amountRefundedCents", refundedCents);
        data.put("currency", row.paidCurrency());
        data.put("transactionId", entry.id());
        data.put("balanceMillicredits", entry.balanceAfterMillicredits());
        outbox.append(row.accountId(), EventType.REFUND_APPLIED, data, now);
        return new EventOutcome(Code.REFUNDED, "Took back " + take + " millicredits (" + target + " of "
                + row.grantedMillicredits() + " in total).", sessionId, pi);
    }

    /** {@code granted × refunded / total}, half-up, capped at the grant; exact for any size. */
    static long share(long grantedMillicredits, long refundedCents, long totalCents) {
        if (refundedCents <= 0) return 0;
        if (refundedCents >= totalCents) return grantedMillicredits;
        BigInteger numerator = BigInteger.valueOf(grantedMillicredits).multiply(BigInteger.valueOf(refundedCents));
        BigInteger total = BigInteger.valueOf(totalCents);
        // half-up for non-negative values: floor((2·n + d) / 2d)
        return numerator.shiftLeft(1).add(total).divide(total.shiftLeft(1)).longValueExact();
    }
}
