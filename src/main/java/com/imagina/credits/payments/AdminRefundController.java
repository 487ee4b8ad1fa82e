package com.imagina.credits.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.audit.AuditTrail;
import com.imagina.credits.ledger.Idempotency;
import com.imagina.credits.payments.CheckoutSessions.SessionRow;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.security.Caller;
import com.stripe.Stripe;
import com.stripe.exception.StripeException;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.RefundCreateParams;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/admin/refunds {"refundId","sessionId","amountCents","reason"}}: support refunds (part
 * of) a purchase. Idempotent on {@code refundId}. The credits move only through the webhook's code path,
 * as for a refund made in Stripe's dashboard:
 * <ul>
 *   <li>with Stripe, a Refund is created with stripe-java (idempotency key {@code admin-refund:{refundId}}),
 *       outside any database transaction (see {@link #stripeRefund}), and its {@code charge.refunded} event
 *       takes the credits back when it arrives (outcome {@code requested});</li>
 *   <li>with simulated payments, a {@code charge.refunded} event for the new cumulative amount is signed
 *       and handed to {@link StripeWebhooks#receive} in this transaction (outcome {@code refunded}).</li>
 * </ul>
 * The checks run under the payment intent's lock, so two simulated refunds of one purchase add up instead of
 * racing (two real ones are bounded by Stripe as well).
 * Refused: an unknown session (404 {@code unknown_checkout_session}), one with nothing granted (409
 * {@code not_refundable}), more than is left of the payment (409 {@code refund_exceeds_payment}), a
 * real payment while no Stripe key is set (409 {@code payments_unavailable}).
 */
@RestController
class AdminRefundController {
    private final CheckoutSessions sessions;
    private final StripeRefunds refunds;
    private final PaymentIntentLocks locks;
    private final StripeKeys keys;
    private final StripeWebhooks webhooks;
    private final Idempotency idempotency;
    private final TransactionTemplate tx;
    private final AuditTrail audit;
    private final ObjectMapper json;

    AdminRefundController(CheckoutSessions sessions, StripeRefunds refunds, PaymentIntentLocks locks, StripeKeys keys,
            StripeWebhooks webhooks, Idempotency idempotency, TransactionTemplate tx, AuditTrail audit,
            ObjectMapper json) {
        this.sessions = sessions;
        this.refunds = refunds;
        this.locks = locks;
        this.keys = keys;
        this.webhooks = webhooks;
        this.idempotency = idempotency;
        this.tx = tx;
        this.audit = audit;
        this.json = json;
    }

    record RefundRequest(
            @NotBlank @Size(max = 200) String refundId,
            @NotBlank @Size(max = 200) String sessionId,
            @NotNull @Min(1) @Max(100_000_000L) Long amountCents,
            @NotBlank @Size(max = 500) String reason) {}

    /**
     * {@code mode} {@code simulated} or {@code stripe}; {@code outcome} the event's ({@code refunded}, ...)
     * or {@code requested}; {@code takenBackMillicredits} what this refund took back so far.
     */
    record RefundView(String refundId, String sessionId, String accountId, String paymentIntent, long amountCents,
            long amountRefundedCents, String currency, String mode, String outcome, String stripeRefundId,
            long takenBackMillicredits) {}

    @PostMapping("/api/v1/admin/refunds")
    ResponseEntity<RefundView> refund(@Valid @RequestBody RefundRequest request) {
        Caller.current().requireAdmin();
        boolean askStripe = keys.client() != null && !request.sessionId().startsWith(SimulatedCheckout.PREFIX);
        Idempotency.Outcome<RefundView> outcome = askStripe ? stripeRefund(request) : tx.execute(status ->
                answered(request, idempotency.once(key(request), request, 201, RefundView.class,
                        () -> simulatedRefund(request))));
        return ResponseEntity.status(outcome.status()).body(outcome.value());
    }

    private static String key(RefundRequest request) {
        return "admin-refund:" + request.refundId();
    }

    private Idempotency.Outcome<RefundView> answered(RefundRequest request, Idempotency.Outcome<RefundView> once) {
        if (once.replayed()) {
            audit.replayed("refund", once.value().accountId(), request, request.reason(), once.status());
        }
        return once;
    }

    /** What may be refunded, checked under the payment intent's lock. */
    private record Refundable(SessionRow row, long cumulativeCents) {}

    private Refundable refundable(RefundRequest request) {
        SessionRow seen = sessions.find(request.sessionId()).orElseThrow(() -> ApiException.notFound(
                "unknown_checkout_session", "No checkout session '" + request.sessionId() + "'."));
        audit.about(seen.accountId());
        String pi = seen.paymentIntent();
        if (seen.grantedMillicredits() == 0 || pi == null || seen.amountTotalCents() == null) {
            throw ApiException.conflict("not_refundable", "Session '" + seen.sessionId() + "' is " + seen.status()
                    + ": nothing was paid and granted, so there is nothing to refund.");
        }
        locks.lock(pi);
        SessionRow row = sessions.find(request.sessionId()).orElseThrow();
        long already = refunds.amountRefundedCents(pi).orElse(0L);
        long left = row.amountTotalCents() - already;
        if (request.amountCents() > left) {
            throw ApiException.conflict("refund_exceeds_payment", "Only " + Money.format(left, row.paidCurrency())
                    + " of " + Money.format(row.amountTotalCents(), row.paidCurrency()) + " is left to refund.")
                    .with("refundableCents", left);
        }
        return new Refundable(row, already + request.amountCents());
    }

    /**
     * A simulated purchase: its {@code charge.refunded} event is signed and received in this transaction, so
     * the credits are back when the call answers. Also the path that refuses what cannot be refunded here.
     */
    private RefundView simulatedRefund(RefundRequest request) {
        Refundable refundable = refundable(request);
        SessionRow row = refundable.row();
        if (!row.sessionId().startsWith(SimulatedCheckout.PREFIX) || !keys.simulated()) {
            throw ApiException.conflict("payments_unavailable", "This purchase cannot be refunded here: "
                    + (keys.secretKey() == null ? "no Stripe key is configured." : "it was simulated."));
        }
        String[] signed = signedRefundEvent(request, row, refundable.cumulativeCents());
        String outcome = webhooks.receive(signed[0], signed[1]).outcome().wireName();
        SessionRow after = sessions.find(row.sessionId()).orElseThrow();
        return applied(request, refundable, "simulated", outcome, null, after.refundedMillicredits() - row.refundedMillicredits());
    }

    /**
     * A real purchase: Stripe is asked outside any transaction, between two short ones, so a slow Stripe holds
     * this request's thread and nothing else — no connection, no payment intent lock (a webhook for the same
     * payment does not wait for it). First the stored answer or the checks; then the Refund, created with
     * the idempotency key {@code admin-refund:{refundId}} (a retry, or a twin call racing this one, gets the same
     * Refund from Stripe); then the answer stored under the same key, where a twin that stored first is
     * replayed. Two different refunds racing past the check are bounded by Stripe itself, which refuses to
     * refund more than the charge (502 {@code stripe_error}); the credits move when {@code charge.refunded}
     * arrives, by the cumulative amount Stripe reports.
     */
    private Idempotency.Outcome<RefundView> stripeRefund(RefundRequest request) {
        Optional<Idempotency.Outcome<RefundView>> earlier = idempotency.stored(key(request), request, RefundView.class,
                "This id was already used with a different request.");
        if (earlier.isPresent()) return tx.execute(status -> answered(request, earlier.get()));
        Refundable refundable = tx.execute(status -> refundable(request));
        String stripeRefundId = createStripeRefund(request, refundable.row()).getId();
        return tx.execute(status -> answered(request, idempotency.once(key(request), request, 201, RefundView.class,
                () -> applied(request, refundable, "stripe", "requested", stripeRefundId, 0))));
    }

    private RefundView applied(RefundRequest request, Refundable refundable, String mode, String outcome,
            String stripeRefundId, long taken) {
        SessionRow row = refundable.row();
        audit.applied("refund", row.accountId(), request, request.reason(), 201, "Refund of "
                + Money.format(request.amountCents(), row.paidCurrency()) + " (" + mode + "): " + outcome + ", "
                + taken + " millicredits taken back.");
        return new RefundView(request.refundId(), row.sessionId(), row.accountId(), row.paymentIntent(),
                request.amountCents(), refundable.cumulativeCents(), row.paidCurrency(), mode, outcome, stripeRefundId,
                taken);
    }

    private Refund createStripeRefund(RefundRequest request, SessionRow row) {
        RefundCreateParams params = RefundCreateParams.builder()
                .setPaymentIntent(row.paymentIntent())
                .setAmount(request.amountCents())
                .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
                .putMetadata("refundId", request.refundId())
                .putMetadata("sessionId", row.sessionId())
                .build();
        try {
            return keys.client().v1().refunds().create(params, RequestOptions.builder()
                    .setIdempotencyKey("admin-refund:" + request.refundId()).build());
        } catch (StripeException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "stripe_error", "Stripe refused the refund: " + e.getMessage());
        }
    }

    /** The event Stripe would send for this refund, signed with the webhook secret: {payload, header}. */
    private String[] signedRefundEvent(RefundRequest request, SessionRow row, long cumulativeCents) {
        String suffix = Idempotency.sha256(request.refundId()).substring(0, 24);
        Map<String, Object> charge = new LinkedHashMap<>();
        charge.put("id", "ch_sim_" + row.paymentIntent().replace("pi_sim_", ""));
        charge.put("object", "charge");
        charge.put("amount", row.amountTotalCents());
        charge.put("amount_captured", row.amountTotalCents());
        charge.put("amount_refunded", cumulativeCents);
        charge.put("currency", row.paidCurrency());
        charge.put("livemode", false);
        charge.put("paid", true);
        charge.put("payment_intent", row.paymentIntent());
        charge.put("refunded", cumulativeCents >= row.amountTotalCents());
        charge.put("status", "succeeded");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "evt_sim_refund_" + suffix);
        event.put("object", "event");
        event.put("api_version", Stripe.API_VERSION);
        event.put("created", Webhook.Util.getTimeNow());
        event.put("data", Map.of("object", charge));
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("type", StripeEventType.CHARGE_REFUNDED.wireName());
        try {
            String payload = json.writeValueAsString(event);
            return new String[] {payload, Webhook.Signature.generateSignatureHeader(payload, keys.webhookSecret())};
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
