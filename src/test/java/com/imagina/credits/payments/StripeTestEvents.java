package com.imagina.credits.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe events for tests: the real JSON shapes under {@code src/test/resources/stripe/} with the ids
 * and amounts a test needs, and signatures made the way Stripe makes them — independently of
 * stripe-java: {@code v1} = hex HMAC-SHA256 of {@code "{t}.{payload}"} with the endpoint secret, sent
 * as {@code Stripe-Signature: t={t},v1={v1}}.
 */
public final class StripeTestEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StripeTestEvents() {}

    public static ObjectNode fixture(String name) {
        try (InputStream in = StripeTestEvents.class.getResourceAsStream("/stripe/" + name + ".json")) {
            if (in == null) throw new IllegalArgumentException("No fixture " + name);
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String eventId() {
        return "evt_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A {@code checkout.session.*} event (type and fixture given) about the named session. */
    public static ObjectNode sessionEvent(String type, String sessionId, String accountId, String packId, long amountTotal,
            String currency, String paymentStatus, String paymentIntent) {
        String fixture = type.equals("checkout.session.async_payment_succeeded")
                ? "checkout.session.async_payment_succeeded" : "checkout.session.completed";
        ObjectNode event = fixture(fixture);
        event.put("id", eventId());
        event.put("type", type);
        event.put("created", Instant.now().getEpochSecond());
        ObjectNode session = (ObjectNode) event.path("data").path("object");
        session.put("id", sessionId);
        session.put("client_reference_id", accountId);
        session.put("amount_subtotal", amountTotal);
        session.put("amount_total", amountTotal);
        session.put("currency", currency);
        session.put("payment_status", paymentStatus);
        session.put("payment_intent", paymentIntent);
        ObjectNode metadata = (ObjectNode) session.path("metadata");
        metadata.put("accountId", accountId);
        metadata.put("packId", packId);
        return event;
    }

    public static ObjectNode completed(String sessionId, String accountId, String packId, long amountTotal,
            String paymentIntent) {
        return sessionEvent("checkout.session.completed", sessionId, accountId, packId, amountTotal, "usd", "paid",
                paymentIntent);
    }

    /** {@code charge.refunded} with the cumulative {@code amount_refunded} of the charge. */
    public static ObjectNode chargeRefunded(String paymentIntent, long amount, long amountRefunded) {
        ObjectNode event = fixture("charge.refunded");
        event.put("id", eventId());
        event.put("created", Instant.now().getEpochSecond());
        ObjectNode charge = (ObjectNode) event.path("data").path("object");
        charge.put("id", "ch_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        charge.put("payment_intent", paymentIntent);
        charge.put("amount", amount);
        charge.put("amount_captured", amount);
        charge.put("amount_refunded", amountRefunded);
        charge.put("refunded", amountRefunded >= amount);
        return event;
    }

    /** A {@code charge.dispute.*} event ({@code created}, {@code updated}, {@code closed}) about one dispute. */
    public static ObjectNode dispute(String type, String disputeId, String paymentIntent, long amount, String status) {
        ObjectNode event = fixture("charge.dispute.created");
        event.put("id", eventId());
        event.put("type", type);
        event.put("created", Instant.now().getEpochSecond());
        ObjectNode dispute = (ObjectNode) event.path("data").path("object");
        dispute.put("id", disputeId);
        dispute.put("payment_intent", paymentIntent);
        dispute.put("amount", amount);
        dispute.put("status", status);
        return event;
    }

    public static String disputeId() {
        return "dp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** The payload as Stripe sends it: pretty-printed JSON (non-ASCII text kept as UTF-8). */
    public static String payload(JsonNode event) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(String payload, String secret) {
        return sign(payload, secret, Instant.now().getEpochSecond());
    }

    public static String sign(String payload, String secret, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
