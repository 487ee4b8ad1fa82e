package com.imagina.credits.proof;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe webhook events as Stripe sends them: the JSON of an event around a Checkout Session, signed
 * with Stripe's scheme ({@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">}).
 * A redelivery carries the same event (same id and payload) with a fresh signature.
 */
final class StripeEvent {
    private StripeEvent() {}

    static String sessionEvent(String eventId, String type, String sessionId, String accountId,
            FaultWorld.PackInfo pack) {
        long created = System.currentTimeMillis() / 1000;
        return "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":" + created
                + ",\"livemode\":false,\"pending_webhooks\":1,\"type\":\"" + type + "\",\"data\":{\"object\":{"
                + "\"id\":\"" + sessionId + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                + "\"status\":\"complete\",\"payment_status\":\"paid\",\"amount_total\":" + pack.priceCents()
                + ",\"currency\":\"" + pack.currency() + "\",\"client_reference_id\":\"" + accountId + "\","
                + "\"metadata\":{\"packId\":\"" + pack.id() + "\",\"accountId\":\"" + accountId + "\"},"
                + "\"payment_intent\":\"pi_" + sessionId.replaceAll("[^A-Za-z0-9]", "") + "\"}}}";
    }

    /** A {@code charge.dispute.*} event: the dispute of a payment intent's charge, with Stripe's status. */
    static String disputeEvent(String eventId, String type, String disputeId, String paymentIntent, long amountCents,
            String currency, String status) {
        long created = System.currentTimeMillis() / 1000;
        return "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":" + created
                + ",\"livemode\":false,\"pending_webhooks\":1,\"type\":\"" + type + "\",\"data\":{\"object\":{"
                + "\"id\":\"" + disputeId + "\",\"object\":\"dispute\",\"amount\":" + amountCents + ",\"currency\":\""
                + currency + "\",\"charge\":\"ch_" + paymentIntent.substring(3) + "\",\"payment_intent\":\"" + paymentIntent
                + "\",\"reason\":\"fraudulent\",\"status\":\"" + status + "\",\"created\":" + created + "}}}";
    }

    static String signature(String payload, String secret, long unixSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((unixSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers until answered; each attempt is signed anew, as Stripe's retries are. */
    static ResilientApi.Reply deliver(ResilientApi api, String payload, String secret) {
        return api.call("POST", "/api/v1/stripe/webhook", null, payload, () -> Map.of("Stripe-Signature",
                signature(payload, secret, System.currentTimeMillis() / 1000)));
    }
}
