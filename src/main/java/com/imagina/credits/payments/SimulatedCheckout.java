package com.imagina.credits.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.payments.CheckoutSessions.SessionRow;
import com.stripe.Stripe;
import com.stripe.net.Webhook;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Pays a simulated session the way Stripe would report it: a {@code checkout.session.completed}
 * event in Stripe's JSON shape ({@code payment_status} {@code paid}), signed with the webhook secret
 * by stripe-java, handed to {@link StripeWebhooks#receive} — the same verification and processing a
 * real webhook gets. Paying twice sends a second event for the same session, which grants nothing.
 */
@Component
class SimulatedCheckout {
    static final String PREFIX = "cs_sim_";

    private final StripeKeys keys;
    private final StripeWebhooks webhooks;
    private final ObjectMapper json;

    SimulatedCheckout(StripeKeys keys, StripeWebhooks webhooks, ObjectMapper json) {
        this.keys = keys;
        this.webhooks = webhooks;
        this.json = json;
    }

    /** Only sessions this service simulated, and only while it runs without a Stripe key. */
    boolean payable(SessionRow row) {
        return keys.simulated() && row.source() == SessionSource.SIMULATED && row.sessionId().startsWith(PREFIX);
    }

    StripeWebhooks.Receipt pay(SessionRow row, String baseUrl) {
        String payload = completedEvent(row, baseUrl);
        String header;
        try {
            header = Webhook.Signature.generateSignatureHeader(payload, keys.webhookSecret());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
        return webhooks.receive(payload, header);
    }

    static String paymentIntentOf(String sessionId) {
        return "pi_sim_" + sessionId.substring(PREFIX.length());
    }

    private String completedEvent(SessionRow row, String baseUrl) {
        long created = row.createdAt().getEpochSecond();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("accountId", row.accountId());
        metadata.put("packId", row.packId());
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", row.sessionId());
        session.put("object", "checkout.session");
        session.put("amount_subtotal", row.amountCents());
        session.put("amount_total", row.amountCents());
        session.put("cancel_url", baseUrl + "/buy/cancel");
        session.put("client_reference_id", row.accountId());
        session.put("created", created);
        session.put("currency", row.currency());
        session.put("customer", null);
        session.put("expires_at", created + 24 * 3600);
        session.put("livemode", false);
        session.put("metadata", metadata);
        session.put("mode", "payment");
        session.put("payment_intent", paymentIntentOf(row.sessionId()));
        session.put("payment_method_types", List.of("card"));
        session.put("payment_status", "paid");
        session.put("status", "complete");
        session.put("success_url", baseUrl + "/buy/success?session_id={CHECKOUT_SESSION_ID}");
        session.put("url", null);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", null);
        request.put("idempotency_key", null);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "evt_sim_" + RandomIds.hex(12));
        event.put("object", "event");
        event.put("api_version", Stripe.API_VERSION);
        event.put("created", Webhook.Util.getTimeNow());
        event.put("data", Map.of("object", session));
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("request", request);
        event.put("type", StripeEventType.CHECKOUT_SESSION_COMPLETED.wireName());
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
