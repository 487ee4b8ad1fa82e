package com.imagina.credits.payments;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code credits.payments.simulated}: whether the local simulated checkout (credits granted without any
 * payment) may stand in for Stripe when no secret key is set. False unless asked for (the dev and test
 * profiles do): a production instance that lost its Stripe key must not give credits away.
 */
@ConfigurationProperties("credits.payments")
record PaymentsSettings(@DefaultValue("false") boolean simulated) {}
