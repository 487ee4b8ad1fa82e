package com.imagina.credits.payments;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.db.DatabaseUnavailable;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The webhook code path, shared by {@code POST /api/v1/stripe/webhook} and the simulated checkout:
 * verify the {@code Stripe-Signature} with stripe-java ({@code Webhook.constructEvent}, 5-minute
 * tolerance), then process the event in one transaction that claims its id, does its effect and
 * records the outcome. A bad, missing or stale signature is a 400 and changes nothing; an event id
 * seen before is acknowledged and does nothing; an unknown type is stored and ignored.
 */
@Service
class StripeWebhooks {
    static final long TOLERANCE_SECONDS = 300;
    private static final Logger log = LoggerFactory.getLogger(StripeWebhooks.class);

    private final StripeKeys keys;
    private final StripeEvents events;
    private final PurchaseGrants grants;
    private final RefundClawbacks refunds;
    private final DisputeClawbacks disputes;
    private final ServiceClock clock;
    private final TransactionTemplate tx;

    StripeWebhooks(StripeKeys keys, StripeEvents events, PurchaseGrants grants, RefundClawbacks refunds,
            DisputeClawbacks disputes, ServiceClock clock, TransactionTemplate tx) {
        this.disputes = disputes;
        this.keys = keys;
        this.events = events;
        this.grants = grants;
        this.refunds = refunds;
        this.clock = clock;
        this.tx = tx;
    }

    /** What the webhook answers Stripe: the event, and what it did (or {@code duplicate}). */
    record Receipt(String eventId, String type, EventOutcome.Code outcome, boolean duplicate) {}

    Receipt receive(String payload, String signatureHeader) {
        Event event = verify(payload, signatureHeader);
        Receipt receipt;
        try {
            receipt = tx.execute(status -> process(event, payload));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.classify(e) != DatabaseUnavailable.Kind.NONE) throw e; // 503: Stripe retries
            // A signed event this code cannot process (an odd shape nothing above foresaw): Stripe would
            // retry a 5xx for three days to the same end. Rolled back, then recorded as failed for support.
            log.error("Stripe event {} ({}) could not be processed; recorded as failed", event.getId(), event.getType(), e);
            receipt = tx.execute(status -> recordFailed(event, payload));
        }
        log.info("Stripe event {} ({}): {}", receipt.eventId(), receipt.type(), receipt.outcome());
        return receipt;
    }

    private Receipt recordFailed(Event event, String payload) {
        if (!events.claim(event.getId(), event.getType(), apiVersion(event), livemode(event), payload, clock.now())) {
            return new Receipt(event.getId(), event.getType(), EventOutcome.Code.DUPLICATE, true);
        }
        events.finish(event.getId(), new EventOutcome(EventOutcome.Code.FAILED,
                "The event could not be processed (unexpected shape); nothing moved.", null, null));
        return new Receipt(event.getId(), event.getType(), EventOutcome.Code.FAILED, false);
    }

    private static String apiVersion(Event event) {
        try {
            return event.getApiVersion();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Boolean livemode(Event event) {
        try {
            return event.getLivemode();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Event verify(String payload, String signatureHeader) {
        String secret = keys.webhookSecret();
        if (secret == null) {
            log.error("Refused a Stripe webhook: CREDITS_STRIPE_WEBHOOK_SECRET is not set, so no event can be "
                    + "verified. Set it to the endpoint's signing secret (whsec_...).");
            throw new ApiException(HttpStatus.BAD_REQUEST, "webhook_secret_missing",
                    "Webhooks cannot be verified: the webhook signing secret is not configured.");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw invalidSignature("The Stripe-Signature header is missing.");
        }
        Event event;
        try {
            event = Webhook.constructEvent(payload, signatureHeader, secret, TOLERANCE_SECONDS);
        } catch (SignatureVerificationException e) {
            log.warn("Refused a Stripe webhook: {}", e.getMessage());
            throw invalidSignature("The Stripe-Signature does not verify: " + e.getMessage());
        } catch (RuntimeException e) {
            // Gson's parse errors, or a v2 event notification: not a webhook payload we handle.
            throw ApiException.badRequest("The signed payload is not a Stripe event.");
        }
        if (event == null || event.getId() == null || event.getType() == null) {
            throw ApiException.badRequest("The signed payload is not a Stripe event (no id or type).");
        }
        return event;
    }

    private Receipt process(Event event, String payload) {
        Instant now = clock.now();
        if (!events.claim(event.getId(), event.getType(), apiVersion(event), livemode(event), payload, now)) {
            return new Receipt(event.getId(), event.getType(), EventOutcome.Code.DUPLICATE, true);
        }
        String type = event.getType();
        EventOutcome outcome = StripeEventType.fromWire(type).map(known -> switch (known) {
            case CHECKOUT_SESSION_COMPLETED, CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED,
                    CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED, CHECKOUT_SESSION_EXPIRED -> {
                StripeEventData.SessionFacts facts = StripeEventData.session(event);
                String odd = StripeEventData.oddity(facts);
                yield odd != null ? oddShape(type, odd, facts.sessionId(), facts.paymentIntent())
                        : grants.onSessionEvent(known, facts, now);
            }
            case CHARGE_REFUNDED -> {
                StripeEventData.ChargeFacts facts = StripeEventData.charge(event);
                String odd = StripeEventData.oddity(facts);
                yield odd != null ? oddShape(type, odd, null, facts.paymentIntent())
                        : refunds.onChargeRefunded(facts, now);
            }
            case CHARGE_DISPUTE_CREATED, CHARGE_DISPUTE_UPDATED, CHARGE_DISPUTE_CLOSED ->
                    disputes.onDisputeEvent(known, StripeEventData.dispute(event), now);
        }).orElseGet(() -> EventOutcome.ignored(type));
        events.finish(event.getId(), outcome);
        return new Receipt(event.getId(), type, outcome.code(), false);
    }

    /** Signed, but not what a real payment looks like: recorded as ignored, nothing moved. */
    private static EventOutcome oddShape(String type, String why, String sessionId, String paymentIntent) {
        return new EventOutcome(EventOutcome.Code.IGNORED, "A " + type + " event with " + why + " is not processed; nothing moved.",
                sessionId, paymentIntent);
    }

    private static ApiException invalidSignature(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_signature", detail);
    }
}
