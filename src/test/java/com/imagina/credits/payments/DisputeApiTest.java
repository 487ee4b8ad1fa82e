package com.imagina.credits.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.imagina.credits.support.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chargebacks: taken back at once, returned when won, kept when lost; once per dispute in any order. */
class DisputeApiTest extends PaymentsApiTestBase {
    private static final String CREATED = "charge.dispute.created";
    private static final String CLOSED = "charge.dispute.closed";

    /** A granted pack-large purchase (27,500,000 millicredits for 2,500 cents); returns its payment intent. */
    private String bought(String acct, String sessionId) {
        String pi = paymentIntent();
        assertThat(deliver(StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, pi)).get("outcome")
                .asText()).isEqualTo("granted");
        return pi;
    }

    private String outcomeOf(ObjectNode event) {
        return deliver(event).get("outcome").asText();
    }

    @Test
    void aDisputeTakesTheCreditsBackAtOnceIntoDebtAndHoldsAreRefusedUntilPositive() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = bought(acct, sessionId);
        adjust(acct, -1_000_000); // some of it was spent
        String dp = StripeTestEvents.disputeId();

        ObjectNode created = StripeTestEvents.dispute(CREATED, dp, pi, 2500, "needs_response");
        assertThat(outcomeOf(created)).isEqualTo("disputed");
        assertThat(amounts(acct, "dispute")).containsExactly(-27_500_000L);
        assertThat(balance(acct)).isEqualTo(-1_000_000);
        // Duplicated, and the same dispute under another event id: nothing more.
        assertThat(outcomeOf(created)).isEqualTo("duplicate");
        assertThat(outcomeOf(StripeTestEvents.dispute("charge.dispute.updated", dp, pi, 2500, "under_review")))
                .isEqualTo("dispute_already_applied");
        assertThat(balance(acct)).isEqualTo(-1_000_000);

        // Real debt: no new credit hold until the balance is positive again.
        String worldId = world(id("owner"), true);
        Api.Response refused = api.post("/api/v1/turns", api.engine(), Map.of("turnId", id("t"), "accountId", acct,
                "journeyId", id("j"), "worldId", worldId, "modelId", "claude-opus-4-1", "purpose", "play",
                "maxOutputTokens", 100, "expectedInputTokens", 100));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(402);

        // The history shows it plainly.
        JsonNode item = api.get("/api/v1/accounts/" + acct + "/transactions?type=dispute", api.player(acct)).json()
                .get("items").get(0);
        assertThat(item.get("type").asText()).isEqualTo("dispute");
        assertThat(item.get("description").asText()).contains("Chargeback").contains(dp);

        // Lost: it stays taken, whatever is delivered again.
        assertThat(outcomeOf(StripeTestEvents.dispute(CLOSED, dp, pi, 2500, "lost"))).isEqualTo("dispute_already_applied");
        assertThat(outcomeOf(StripeTestEvents.dispute(CLOSED, dp, pi, 2500, "lost"))).isEqualTo("dispute_already_applied");
        assertThat(amounts(acct, "dispute_reversal")).isEmpty();
        assertThat(balance(acct)).isEqualTo(-1_000_000);
        assertReconciled();
    }

    @Test
    void aWonDisputeGivesItBackExactlyOnce() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = bought(acct, sessionId);
        String dp = StripeTestEvents.disputeId();
        // $10.00 of $25.00 disputed: 27,500,000 × 1000 / 2500 = 11,000,000.
        assertThat(outcomeOf(StripeTestEvents.dispute(CREATED, dp, pi, 1000, "warning_needs_response"))).isEqualTo("disputed");
        assertThat(balance(acct)).isEqualTo(16_500_000);

        ObjectNode won = StripeTestEvents.dispute(CLOSED, dp, pi, 1000, "won");
        assertThat(outcomeOf(won)).isEqualTo("dispute_reversed");
        assertThat(outcomeOf(won)).isEqualTo("duplicate");
        assertThat(outcomeOf(StripeTestEvents.dispute(CLOSED, dp, pi, 1000, "won"))).isEqualTo("no_change");
        // A late "created" (or a late "lost" after "won") cannot take it again: won is final.
        assertThat(outcomeOf(StripeTestEvents.dispute(CREATED, dp, pi, 1000, "needs_response"))).isEqualTo("no_change");
        assertThat(outcomeOf(StripeTestEvents.dispute(CLOSED, dp, pi, 1000, "lost"))).isEqualTo("no_change");
        assertThat(amounts(acct, "dispute")).containsExactly(-11_000_000L);
        assertThat(amounts(acct, "dispute_reversal")).containsExactly(11_000_000L);
        assertThat(balance(acct)).isEqualTo(27_500_000);
        assertThat(session(sessionId).get("grantedMillicredits").asLong()).isEqualTo(27_500_000);
        assertReconciled();
    }

    @Test
    void aStatusWordStripeDoesNotDocumentIsKeptAsItCameAndDecidesAsOpen() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = bought(acct, sessionId);
        String dp = StripeTestEvents.disputeId();
        assertThat(outcomeOf(StripeTestEvents.dispute(CREATED, dp, pi, 2500, "awaiting_new_thing"))).isEqualTo("disputed");
        assertThat(amounts(acct, "dispute")).containsExactly(-27_500_000L); // open: taken, as any open dispute
        assertThat(jdbc.sql("select status from stripe_disputes where dispute_id = :d").param("d", dp)
                .query(String.class).single()).as("stored as Stripe wrote it").isEqualTo("awaiting_new_thing");
        assertThat(outcomeOf(StripeTestEvents.dispute(CLOSED, dp, pi, 2500, "won"))).isEqualTo("dispute_reversed");
        assertThat(balance(acct)).isEqualTo(27_500_000);
        assertReconciled();
    }

    @Test
    void closedBeforeCreatedEndsTheSameAsInOrder() {
        String acct = id("u");
        String pi = bought(acct, checkout(acct, "pack-large"));
        String won = StripeTestEvents.disputeId();
        String lost = StripeTestEvents.disputeId();
        // won arrives first: nothing is ever taken for it.
        assertThat(outcomeOf(StripeTestEvents.dispute(CLOSED, won, pi, 500, "won"))).isEqualTo("no_change");
        assertThat(outcomeOf(StripeTestEvents.dispute(CREATED, won, pi, 500, "needs_response"))).isEqualTo("no_change");
        // lost arrives first: taken at once, and the late "created" changes nothing.
        assertThat(outcomeOf(StripeTestEvents.dispute(CLOSED, lost, pi, 500, "lost"))).isEqualTo("disputed");
        assertThat(outcomeOf(StripeTestEvents.dispute(CREATED, lost, pi, 500, "needs_response")))
                .isEqualTo("dispute_already_applied");
        assertThat(amounts(acct, "dispute")).containsExactly(-5_500_000L);
        assertThat(amounts(acct, "dispute_reversal")).isEmpty();
        assertThat(balance(acct)).isEqualTo(22_000_000);
        assertReconciled();
    }

    @Test
    void aDisputeBeforeItsGrantIsAppliedByTheGrant() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = paymentIntent();
        String dp = StripeTestEvents.disputeId();
        assertThat(outcomeOf(StripeTestEvents.dispute(CREATED, dp, pi, 2500, "needs_response"))).isEqualTo("dispute_recorded");
        assertThat(balance(acct)).isZero();

        assertThat(deliver(StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, pi)).get("outcome").asText())
                .isEqualTo("granted");
        assertThat(amounts(acct, "purchase")).containsExactly(27_500_000L);
        assertThat(amounts(acct, "dispute")).containsExactly(-27_500_000L);
        assertThat(balance(acct)).isZero();
        // Won later: given back once.
        assertThat(outcomeOf(StripeTestEvents.dispute(CLOSED, dp, pi, 2500, "won"))).isEqualTo("dispute_reversed");
        assertThat(balance(acct)).isEqualTo(27_500_000);
        assertReconciled();
    }

    @Test
    void refundsAndDisputesTogetherNeverTakeMoreThanTheGrant() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = bought(acct, sessionId);
        assertThat(outcomeOf(StripeTestEvents.chargeRefunded(pi, 2500, 2000))).isEqualTo("refunded"); // 22,000,000
        String dp = StripeTestEvents.disputeId();
        assertThat(outcomeOf(StripeTestEvents.dispute(CREATED, dp, pi, 2500, "needs_response"))).isEqualTo("disputed");
        assertThat(amounts(acct, "dispute")).containsExactly(-5_500_000L);
        assertThat(balance(acct)).isZero();
        assertThat(outcomeOf(StripeTestEvents.chargeRefunded(pi, 2500, 2500))).isEqualTo("refund_already_applied");
        assertThat(balance(acct)).isZero();
        assertReconciled();
    }

    @Test
    void aDisputeOfAPaymentThatIsNoPurchaseMovesNothing() {
        ObjectNode event = StripeTestEvents.dispute(CREATED, StripeTestEvents.disputeId(), paymentIntent(), 700, "needs_response");
        assertThat(outcomeOf(event)).isEqualTo("dispute_recorded");
        ObjectNode noPi = StripeTestEvents.dispute(CREATED, StripeTestEvents.disputeId(), null, 700, "needs_response");
        ((ObjectNode) noPi.path("data").path("object")).putNull("payment_intent");
        assertThat(outcomeOf(noPi)).isEqualTo("unknown_payment");
        assertReconciled();
    }
}
