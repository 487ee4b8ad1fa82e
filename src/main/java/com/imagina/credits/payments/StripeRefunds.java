package com.imagina.credits.payments;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code stripe_refunds} rows: per payment intent, the highest {@code amount_refunded} any
 * {@code charge.refunded} event reported. Stripe's figure is cumulative, so keeping the highest makes
 * repeated and out-of-order refund events harmless.
 */
@Component
class StripeRefunds {
    private final JdbcClient jdbc;

    StripeRefunds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(String paymentIntent, String chargeId, long chargeAmountCents, long amountRefundedCents,
            String currency, Instant now) {
        jdbc.sql("""
                insert into stripe_refunds (payment_intent, charge_id, charge_amount_cents, amount_refunded_cents,
                       currency, updated_at)
                values (:pi, :charge, :amount, :refunded, :currency, :now)
                on conflict (payment_intent) do update
                   set amount_refunded_cents = greatest(stripe_refunds.amount_refunded_cents, excluded.amount_refunded_cents),
                       charge_id = excluded.charge_id, charge_amount_cents = excluded.charge_amount_cents,
                       currency = excluded.currency, updated_at = excluded.updated_at""")
                .param("pi", paymentIntent).param("charge", chargeId).param("amount", chargeAmountCents)
                .param("refunded", amountRefundedCents).param("currency", currency)
                .param("now", Timestamp.from(now)).update();
    }

    Optional<Long> amountRefundedCents(String paymentIntent) {
        return jdbc.sql("select amount_refunded_cents from stripe_refunds where payment_intent = :pi")
                .param("pi", paymentIntent).query(Long.class).optional();
    }
}
