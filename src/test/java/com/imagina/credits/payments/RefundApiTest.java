package com.imagina.credits.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RefundApiTest extends PaymentsApiTestBase {

    /** A granted pack-large purchase (27,500,000 millicredits for 2,500 cents); returns its payment intent. */
    private String bought(String acct, String sessionId) {
        String pi = paymentIntent();
        assertThat(deliver(StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, pi)).get("outcome")
                .asText()).isEqualTo("granted");
        return pi;
    }

    @Test
    void aFullRefundTakesBackTheWholeGrantEvenIntoANegativeBalance() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = bought(acct, sessionId);
        adjust(acct, -1_000_000); // some of the credits were spent

        ObjectNode refund = StripeTestEvents.chargeRefunded(pi, 2500, 2500);
        assertThat(deliver(refund).get("outcome").asText()).isEqualTo("refunded");
        assertThat(amounts(acct, "refund")).containsExactly(-27_500_000L);
        assertThat(balance(acct)).isEqualTo(-1_000_000);
        assertThat(session(sessionId).get("refundedMillicredits").asLong()).isEqualTo(27_500_000);

        // The same refund again, under its own id or a new one, takes nothing more.
        assertThat(deliver(refund).get("outcome").asText()).isEqualTo("duplicate");
        ObjectNode again = StripeTestEvents.chargeRefunded(pi, 2500, 2500);
        assertThat(deliver(again).get("outcome").asText()).isEqualTo("refund_already_applied");
        assertThat(balance(acct)).isEqualTo(-1_000_000);
        assertReconciled();
    }

    @Test
    void twoPartialRefundsTakeBackTheirCumulativeShareExactly() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = bought(acct, sessionId);

        // $7.33 of $25.00: 27,500,000 × 733 / 2500 = 8,063,000.
        assertThat(deliver(StripeTestEvents.chargeRefunded(pi, 2500, 733)).get("outcome").asText())
                .isEqualTo("refunded");
        assertThat(amounts(acct, "refund")).containsExactly(-8_063_000L);
        // amount_refunded is cumulative: now $10.01 in total → 11,011,000 in total, 2,948,000 more.
        assertThat(deliver(StripeTestEvents.chargeRefunded(pi, 2500, 1001)).get("outcome").asText())
                .isEqualTo("refunded");
        assertThat(amounts(acct, "refund")).containsExactly(-8_063_000L, -2_948_000L);
        // A late, older report (smaller cumulative amount) moves nothing.
        assertThat(deliver(StripeTestEvents.chargeRefunded(pi, 2500, 733)).get("outcome").asText())
                .isEqualTo("refund_already_applied");
        assertThat(balance(acct)).isEqualTo(27_500_000 - 11_011_000);
        // The rest: exactly the grant in total, never more.
        assertThat(deliver(StripeTestEvents.chargeRefunded(pi, 2500, 2500)).get("outcome").asText())
                .isEqualTo("refunded");
        assertThat(amounts(acct, "refund")).containsExactly(-8_063_000L, -2_948_000L, -16_489_000L);
        assertThat(balance(acct)).isZero();
        assertReconciled();
    }

    @Test
    void aRefundBeforeItsGrantIsAppliedWhenTheGrantHappens() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = paymentIntent();
        assertThat(deliver(StripeTestEvents.chargeRefunded(pi, 2500, 1000)).get("outcome").asText())
                .isEqualTo("unknown_payment");
        assertThat(balance(acct)).isZero();

        assertThat(deliver(StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, pi)).get("outcome")
                .asText()).isEqualTo("granted");
        assertThat(amounts(acct, "purchase")).containsExactly(27_500_000L);
        assertThat(amounts(acct, "refund")).containsExactly(-11_000_000L);
        assertThat(balance(acct)).isEqualTo(16_500_000);
        assertReconciled();
    }

    @Test
    void aRefundOfAPaymentHeldForReviewMovesNothing() {
        String acct = id("u");
        String sessionId = checkout(acct, "pack-large");
        String pi = paymentIntent();
        assertThat(deliver(StripeTestEvents.completed(sessionId, acct, "pack-large", 100, pi)).get("outcome")
                .asText()).isEqualTo("review");
        assertThat(deliver(StripeTestEvents.chargeRefunded(pi, 100, 100)).get("outcome").asText())
                .isEqualTo("refund_recorded");
        assertThat(balance(acct)).isZero();
        assertReconciled();
    }

    @Test
    void aRefundOfAnUnknownPaymentIsRecordedAndMovesNothing() {
        long entriesBefore = jdbc.sql("select count(*) from ledger_entries").query(Long.class).single();
        String pi = paymentIntent();
        ObjectNode refund = StripeTestEvents.chargeRefunded(pi, 1200, 1200);
        String eventId = refund.get("id").asText();
        assertThat(deliver(refund).get("outcome").asText()).isEqualTo("unknown_payment");
        assertThat(outcome(eventId)).isEqualTo("unknown_payment");
        assertThat(jdbc.sql("select amount_refunded_cents from stripe_refunds where payment_intent = :pi")
                .param("pi", pi).query(Long.class).single()).isEqualTo(1200);

        ObjectNode noIntent = StripeTestEvents.chargeRefunded(null, 1200, 1200);
        assertThat(deliver(noIntent).get("outcome").asText()).isEqualTo("unknown_payment");
        assertThat(jdbc.sql("select count(*) from ledger_entries").query(Long.class).single())
                .isEqualTo(entriesBefore);
        assertReconciled();
    }

    @Test
    void theRefundedShareIsRoundedHalfUpAndCapped() {
        assertThat(RefundClawbacks.share(10, 1, 4)).isEqualTo(3);       // 2.5 → 3
        assertThat(RefundClawbacks.share(10, 1, 3)).isEqualTo(3);       // 3.33 → 3
        assertThat(RefundClawbacks.share(10, 2, 3)).isEqualTo(7);       // 6.67 → 7
        assertThat(RefundClawbacks.share(5_000_000, 1, 500)).isEqualTo(10_000);
        assertThat(RefundClawbacks.share(10_500_000, 333, 1000)).isEqualTo(3_496_500);
        assertThat(RefundClawbacks.share(7, 0, 500)).isZero();
        assertThat(RefundClawbacks.share(7, 600, 500)).isEqualTo(7);
        assertThat(RefundClawbacks.share(Long.MAX_VALUE / 2, 99_999_999, 100_000_000))
                .isEqualTo(Long.MAX_VALUE / 2 - 46_116_860_184L);
    }
}
