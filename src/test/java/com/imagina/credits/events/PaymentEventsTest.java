package com.imagina.credits.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.imagina.credits.payments.StripeTestEvents;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.WebhookReceiver.Received;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * Signed Stripe test events through the real webhook: a purchase, a partial refund, a dispute won and one
 * lost publish exactly purchase.completed, refund.applied, dispute.opened and dispute.closed — each once,
 * however often Stripe repeats itself, and nothing for an event that moves nothing.
 */
class PaymentEventsTest extends EventsTestBase {
    @Value("${credits.stripe.webhook-secret}")
    String stripeSecret;

    private JsonNode deliver(ObjectNode event) {
        String payload = StripeTestEvents.payload(event);
        Api.Response r = api.raw("POST", "/api/v1/stripe/webhook", null, payload, Map.of(
                "Content-Type", "application/json; charset=utf-8",
                "Stripe-Signature", StripeTestEvents.sign(payload, stripeSecret)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void purchaseRefundAndDisputesPublishOneEventPerMove() {
        String acct = id("buyer");
        Api.Response checkout = api.post("/api/v1/checkout-sessions", api.player(acct), Map.of("packId", "pack-large"));
        assertThat(checkout.status()).as(checkout.toString()).isEqualTo(201);
        String sessionId = checkout.json().get("id").asText();
        String pi = "pi_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);

        ObjectNode completed = StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, pi);
        assertThat(deliver(completed).get("outcome").asText()).isEqualTo("granted");
        deliver(completed); // a duplicate: nothing more
        // $5 of $25 refunded: 27,500,000 × 500 / 2500 = 5,500,000; the same refund again moves nothing.
        deliver(StripeTestEvents.chargeRefunded(pi, 2500, 500));
        deliver(StripeTestEvents.chargeRefunded(pi, 2500, 500));
        String won = StripeTestEvents.disputeId(), lost = StripeTestEvents.disputeId();
        deliver(StripeTestEvents.dispute("charge.dispute.created", won, pi, 1000, "needs_response"));
        deliver(StripeTestEvents.dispute("charge.dispute.updated", won, pi, 1000, "under_review"));
        deliver(StripeTestEvents.dispute("charge.dispute.closed", won, pi, 1000, "won"));
        deliver(StripeTestEvents.dispute("charge.dispute.closed", won, pi, 1000, "won"));
        deliver(StripeTestEvents.dispute("charge.dispute.created", lost, pi, 500, "needs_response"));
        deliver(StripeTestEvents.dispute("charge.dispute.closed", lost, pi, 500, "lost"));
        deliver(StripeTestEvents.dispute("charge.dispute.closed", lost, pi, 500, "lost"));

        awaitDelivered(acct, 6);
        List<Received> got = receiver.deliveredOf(acct);
        assertThat(got).extracting(Received::type).containsExactly("purchase.completed", "refund.applied",
                "dispute.opened", "dispute.closed", "dispute.opened", "dispute.closed");
        assertThat(got).extracting(Received::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(got.get(0).event().get("data").get("amountMillicredits").asLong()).isEqualTo(27_500_000);
        assertThat(got.get(1).event().get("data").get("amountMillicredits").asLong()).isEqualTo(5_500_000);
        assertThat(got.get(1).event().get("data").get("balanceMillicredits").asLong()).isEqualTo(22_000_000);
        assertThat(got.get(2).event().get("data").get("disputeId").asText()).isEqualTo(won);
        assertThat(got.get(2).event().get("data").get("amountMillicredits").asLong()).isEqualTo(11_000_000);
        JsonNode wonClosed = got.get(3).event().get("data");
        assertThat(wonClosed.get("status").asText()).isEqualTo("won");
        assertThat(wonClosed.get("returnedMillicredits").asLong()).isEqualTo(11_000_000);
        JsonNode lostClosed = got.get(5).event().get("data");
        assertThat(lostClosed.get("disputeId").asText()).isEqualTo(lost);
        assertThat(lostClosed.get("status").asText()).isEqualTo("lost");
        assertThat(lostClosed.get("returnedMillicredits").asLong()).isZero();
        for (Received r : receiver.all()) {
            assertThat(r.signatureValid()).isTrue();
        }
        assertThat(outboxCount(acct)).isEqualTo(6);
        assertReconciled();
    }
}
