package com.imagina.credits.payments;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A transaction-scoped advisory lock per payment intent, taken first by every event that links a
 * payment to a session (a grant) or reports money taken back from it (a dispute): a dispute that
 * arrives while its grant is being processed waits for it and then sees the granted session, instead
 * of both committing without seeing each other.
 */
@Component
class PaymentIntentLocks {
    private final JdbcClient jdbc;

    PaymentIntentLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void lock(String paymentIntent) {
        if (paymentIntent == null || paymentIntent.isBlank()) return;
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('payment_intent:' || :pi, 0))")
                .param("pi", paymentIntent).query((rs, n) -> 1).list();
    }
}
