package com.imagina.credits.payments;

import com.imagina.credits.events.EventType;
import com.imagina.credits.events.Outbox;
import com.imagina.credits.ledger.Ledger;
import com.imagina.credits.ledger.LedgerEntry;
import com.imagina.credits.ledger.Posting;
import com.imagina.credits.payments.CheckoutSessions.SessionRow;
import com.imagina.credits.payments.EventOutcome.Code;
import com.imagina.credits.payments.StripeEventData.DisputeFacts;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Chargebacks. {@code charge.dispute.created} takes back the disputed share of the session's grant at
 * once — {@code grant × dispute.amount / amount_total}, half-up, never more than refunds and other
 * disputes have left — as one {@code dispute} entry (key {@code dispute:{disputeId}}); the balance may
 * go below zero (real debt: new credit holds are refused until it is positive again).
 * {@code charge.dispute.closed} with {@code won} (or {@code warning_closed}, an inquiry that never took
 * money) gives exactly that back as one {@code dispute_reversal} (key
 * {@code dispute_reversal:{disputeId}}); {@code lost} leaves it taken.
 *
 * <p>Every event about a dispute first upserts its row in {@code stripe_disputes}; a final status
 * (won, lost, warning_closed) is never replaced by an earlier one. Then the dispute is brought to the
 * state its status asks for: taken unless it was won, returned if it was won after being taken. So
 * duplicates, any order (closed before created), and a dispute before its grant (applied by the grant)
 * all end the same, each entry at most once.
 */
@Component
class DisputeClawbacks {
    /**
     * The row takes the event's status unless it already holds a final one: the three words are
     * {@link DisputeStatus#isFinal}'s (PaymentsUnitTest checks they agree).
     */
    static final String UPSERT_SQL = """
            insert into stripe_disputes (dispute_id, payment_intent, charge_id, amount_cents, currency, status,
                   created_at, updated_at)
            values (:id, :pi, :charge, :amount, :currency, :status, :now, :now)
            on conflict (dispute_id) do update
               set status = case when stripe_disputes.status in ('won', 'lost', 'warning_closed')
                                 then stripe_disputes.status else excluded.status end,
                   updated_at = excluded.updated_at""";

    private final JdbcClient jdbc;
    private final CheckoutSessions sessions;
    private final Ledger ledger;
    private final PaymentIntentLocks locks;
    private final Outbox outbox;

    DisputeClawbacks(JdbcClient jdbc, CheckoutSessions sessions, Ledger ledger, PaymentIntentLocks locks,
            Outbox outbox) {
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.sessions = sessions;
        this.ledger = ledger;
        this.locks = locks;
    }

    /** A row of {@code stripe_disputes}: {@code status} is Stripe's word as stored, {@link #state} what it means. */
    record DisputeRow(String disputeId, String paymentIntent, long amountCents, String currency, String status,
            long takenMillicredits, long returnedMillicredits) {
        DisputeStatus state() {
            return DisputeStatus.fromWire(status);
        }
    }

    @Transactional(propagation = Propagation.MANDATORY)
    EventOutcome onDisputeEvent(StripeEventType type, DisputeFacts facts, Instant now) {
        if (facts.disputeId() == null || facts.disputeId().isBlank()) {
            return new EventOutcome(Code.INVALID_EVENT, "The event carries no dispute id.", null, null);
        }
        String pi = facts.paymentIntent();
        if (pi == null || pi.isBlank()) {
            return new EventOutcome(Code.UNKNOWN_PAYMENT, "Dispute " + facts.disputeId()
                    + " names no payment_intent: it is no credit pack purchase. Nothing moved.", null, null);
        }
        locks.lock(pi);
        // Stripe's word as it came (an undocumented one too: the operator sees what Stripe said; it decides
        // as DisputeStatus.UNKNOWN, an open dispute).
        String status = facts.status() != null ? facts.status()
                : type == StripeEventType.CHARGE_DISPUTE_CREATED ? DisputeStatus.NEEDS_RESPONSE.wireName()
                : DisputeStatus.UNKNOWN.wireName();
        jdbc.sql(UPSERT_SQL)
                .param("id", facts.disputeId()).param("pi", pi).param("charge", facts.chargeId())
                .param("amount", Math.max(0, facts.amount())).param("currency", facts.currency())
                .param("status", status).param("now", Timestamp.from(now)).update();
        Optional<SessionRow> session = sessions.lockByPaymentIntent(pi);
        DisputeRow dispute = lock(facts.disputeId());
        if (session.isEmpty() || session.get().grantedMillicredits() == 0) {
            return new EventOutcome(Code.DISPUTE_RECORDED, "Dispute " + dispute.disputeId() + " (" + dispute.status()
                    + ") is recorded; no granted session is paid by " + pi + " yet, so it is applied when one is.",
                    session.map(SessionRow::sessionId).orElse(null), pi);
        }
        return apply(session.get(), dispute, now);
    }

    /** The grant of a session applies the disputes recorded before it; called in the grant's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    void applyRecorded(String sessionId, Instant now) {
        SessionRow row = sessions.lock(sessionId);
        if (row.paymentIntent() == null) return;
        List<String> ids = jdbc.sql("select dispute_id from stripe_disputes where payment_intent = :pi order by dispute_id")
                .param("pi", row.paymentIntent()).query(String.class).list();
        for (String id : ids) {
            apply(sessions.lock(sessionId), lock(id), now);
        }
    }

    /**
     * Brings the dispute to the state its status asks for, then publishes {@code dispute.closed} once the
     * dispute that took credits is final (won and given back, or lost), at most once per dispute.
     */
    private EventOutcome apply(SessionRow row, DisputeRow d, Instant now) {
        EventOutcome outcome = applyMoney(row, d, now);
        DisputeRow after = lock(d.disputeId());
        if (after.state().isFinal() && after.takenMillicredits() > 0) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("disputeId", after.disputeId());
            data.put("sessionId", row.sessionId());
            data.put("status", after.status());
            data.put("takenMillicredits", after.takenMillicredits());
            data.put("returnedMillicredits", after.returnedMillicredits());
            outbox.appendOnce("dispute.closed:" + after.disputeId(), row.accountId(), EventType.DISPUTE_CLOSED, data,
                    now);
        }
        return outcome;
    }

    private EventOutcome applyMoney(SessionRow row, DisputeRow d, Instant now) {
        String sessionId = row.sessionId();
        String pi = d.paymentIntent();
        jdbc.sql("update stripe_disputes set session_id = :s where dispute_id = :id and session_id is null")
                .param("s", sessionId).param("id", d.disputeId()).update();
        if (d.state().givesBack()) {
            if (d.takenMillicredits() > 0 && d.returnedMillicredits() == 0) {
                ledger.post(Posting.disputeReversal(row.accountId(), d.takenMillicredits(),
                        "Chargeback " + d.disputeId() + " " + d.status() + ": the credits taken back are returned",
                        d.disputeId(), sessionId, now));
                jdbc.sql("update stripe_disputes set returned_millicredits = taken_millicredits, updated_at = :now where dispute_id = :id")
                        .param("now", Timestamp.from(now)).param("id", d.disputeId()).update();
                sessions.addDisputed(sessionId, -d.takenMillicredits(), now);
                return new EventOutcome(Code.DISPUTE_REVERSED, "Dispute " + d.disputeId() + " was " + d.status()
                        + ": returned " + d.takenMillicredits() + " millicredits.", sessionId, pi);
            }
            return new EventOutcome(Code.NO_CHANGE, "Dispute " + d.disputeId() + " is " + d.status()
                    + (d.returnedMillicredits() > 0 ? "; its credits were returned before." : "; nothing was taken."),
                    sessionId, pi);
        }
        if (d.takenMillicredits() > 0) {
            return new EventOutcome(Code.DISPUTE_ALREADY_APPLIED, "Dispute " + d.disputeId() + " (" + d.status()
                    + ") took back " + d.takenMillicredits() + " millicredits before.", sessionId, pi);
        }
        long share = row.amountTotalCents() == null || row.amountTotalCents() <= 0 ? row.grantedMillicredits()
                : RefundClawbacks.share(row.grantedMillicredits(), d.amountCents(), row.amountTotalCents());
        long take = Math.min(share, row.takeableMillicredits());
        if (take <= 0) {
            return new EventOutcome(Code.NOTHING_TO_TAKE, "Dispute " + d.disputeId() + ": refunds and disputes have "
                    + "already taken back the whole grant.", sessionId, pi);
        }
        LedgerEntry entry = ledger.post(Posting.disputeClawback(row.accountId(), take,
                "Chargeback " + d.disputeId() + " of credit pack " + row.packId() + " ("
                        + Money.format(d.amountCents(), d.currency() == null ? row.paidCurrency() : d.currency())
                        + " disputed): credits taken back",
                d.disputeId(), sessionId, now));
        jdbc.sql("update stripe_disputes set taken_millicredits = :take, updated_at = :now where dispute_id = :id")
                .param("take", take).param("now", Timestamp.from(now)).param("id", d.disputeId()).update();
        sessions.addDisputed(sessionId, take, now);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("disputeId", d.disputeId());
        data.put("sessionId", sessionId);
        data.put("status", d.status());
        data.put("amountCents", d.amountCents());
        data.put("currency", d.currency() == null ? row.paidCurrency() : d.currency());
        data.put("amountMillicredits", take);
        data.put("transactionId", entry.id());
        data.put("balanceMillicredits", entry.balanceAfterMillicredits());
        outbox.append(row.accountId(), EventType.DISPUTE_OPENED, data, now);
        return new EventOutcome(Code.DISPUTED, "Dispute " + d.disputeId() + " (" + d.status() + "): took back " + take
                + " millicredits.", sessionId, pi);
    }

    private DisputeRow lock(String disputeId) {
        return jdbc.sql("""
                select dispute_id, payment_intent, amount_cents, currency, status, taken_millicredits, returned_millicredits
                  from stripe_disputes where dispute_id = :id for update""")
                .param("id", disputeId)
                .query((rs, n) -> new DisputeRow(rs.getString("dispute_id"), rs.getString("payment_intent"),
                        rs.getLong("amount_cents"), rs.getString("currency"), rs.getString("status"),
                        rs.getLong("taken_millicredits"), rs.getLong("returned_millicredits")))
                .single();
    }
}
