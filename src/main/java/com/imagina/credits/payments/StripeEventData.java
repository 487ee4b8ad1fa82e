package com.imagina.credits.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import java.util.Map;

/**
 * The few fields payments need from an event's {@code data.object}, read through stripe-java's
 * event model. The library only hands out a typed object when the event's API version is the one it
 * is pinned to; for any other version the object is deserialized anyway ({@code deserializeUnsafe}),
 * and if even that fails the fields are read from the raw JSON. The fields used here have kept their
 * names and meaning across API versions.
 */
final class StripeEventData {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StripeEventData() {}

    /** A Checkout Session as an event carries it. {@code amountTotal} is in the currency's minor unit. */
    record SessionFacts(String sessionId, String paymentStatus, Long amountTotal, String currency,
            String clientReferenceId, String metadataAccountId, String packId, String paymentIntent) {

        /** The buyer: {@code client_reference_id}, else {@code metadata.accountId}. */
        String accountId() {
            return clientReferenceId != null && !clientReferenceId.isBlank() ? clientReferenceId : metadataAccountId;
        }
    }

    /** A Charge: {@code amountRefunded} is cumulative over all of its refunds. */
    record ChargeFacts(String chargeId, String paymentIntent, long amount, long amountRefunded, String currency) {}

    /**
     * A Dispute: {@code amount} disputed (minor units), Stripe's {@code status} word as it came (null when it
     * names none): stored and shown as Stripe wrote it, decided on through {@link DisputeStatus#fromWire}.
     */
    record DisputeFacts(String disputeId, String chargeId, String paymentIntent, long amount, String currency,
            String status) {}

    static DisputeFacts dispute(Event event) {
        if (typed(event) instanceof Dispute d) {
            return new DisputeFacts(d.getId(), d.getCharge(), d.getPaymentIntent(), orZero(d.getAmount()),
                    d.getCurrency(), d.getStatus());
        }
        JsonNode raw = raw(event);
        return new DisputeFacts(text(raw, "id"), expandableId(raw, "charge"), expandableId(raw, "payment_intent"),
                orZero(number(raw, "amount")), text(raw, "currency"),
                text(raw, "status"));
    }

    static SessionFacts session(Event event) {
        if (typed(event) instanceof Session s) {
            Map<String, String> metadata = s.getMetadata() == null ? Map.of() : s.getMetadata();
            return new SessionFacts(s.getId(), s.getPaymentStatus(), s.getAmountTotal(), s.getCurrency(),
                    s.getClientReferenceId(), metadata.get("accountId"), metadata.get("packId"),
                    s.getPaymentIntent());
        }
        JsonNode raw = raw(event);
        JsonNode metadata = raw.path("metadata");
        return new SessionFacts(text(raw, "id"), text(raw, "payment_status"), number(raw, "amount_total"),
                text(raw, "currency"), text(raw, "client_reference_id"), text(metadata, "accountId"),
                text(metadata, "packId"), expandableId(raw, "payment_intent"));
    }

    static ChargeFacts charge(Event event) {
        if (typed(event) instanceof Charge c) {
            return new ChargeFacts(c.getId(), c.getPaymentIntent(), orZero(c.getAmount()),
                    orZero(c.getAmountRefunded()), c.getCurrency());
        }
        JsonNode raw = raw(event);
        return new ChargeFacts(text(raw, "id"), expandableId(raw, "payment_intent"), orZero(number(raw, "amount")),
                orZero(number(raw, "amount_refunded")), text(raw, "currency"));
    }

    /** The typed object: as the library gives it, else deserialized regardless of API version, else null. */
    private static StripeObject typed(Event event) {
        // An event of an odd shape (no api_version, wrong types) makes the library throw: read it raw then.
        try {
            EventDataObjectDeserializer deserializer = event.getDataObjectDeserializer();
            if (deserializer == null) return null;
            return deserializer.getObject().orElseGet(() -> {
                try {
                    return deserializer.deserializeUnsafe();
                } catch (Exception e) {
                    return null;
                }
            });
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static JsonNode raw(Event event) {
        try {
            EventDataObjectDeserializer deserializer = event.getDataObjectDeserializer();
            if (deserializer == null || deserializer.getRawJson() == null) return MissingNode.getInstance();
            return JSON.readTree(deserializer.getRawJson());
        } catch (JsonProcessingException | RuntimeException e) {
            return MissingNode.getInstance();
        }
    }

    /** Why the facts cannot be those of a real payment (a negative or inconsistent amount), or null. */
    static String oddity(SessionFacts s) {
        return s.amountTotal() != null && s.amountTotal() < 0 ? "amount_total is negative" : null;
    }

    static String oddity(ChargeFacts c) {
        if (c.amount() < 0 || c.amountRefunded() < 0) return "a negative amount";
        return c.amountRefunded() > c.amount() ? "amount_refunded is above amount" : null;
    }

    private static String text(JsonNode o, String name) {
        JsonNode e = o.path(name);
        return e.isValueNode() && !e.isNull() ? e.asText() : null;
    }

    private static Long number(JsonNode o, String name) {
        JsonNode e = o.path(name);
        return e.isIntegralNumber() && e.canConvertToLong() ? e.longValue() : null;
    }

    /** An id field that may also arrive expanded into its object. */
    private static String expandableId(JsonNode o, String name) {
        JsonNode e = o.path(name);
        return e.isObject() ? text(e, "id") : text(o, name);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
