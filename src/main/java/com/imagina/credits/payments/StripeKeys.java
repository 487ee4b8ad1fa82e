package com.imagina.credits.payments;

import com.imagina.credits.system.CreditsProperties;
import com.stripe.StripeClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which Stripe the service talks to, decided once at start-up and logged:
 * <ul>
 *   <li>{@code CREDITS_STRIPE_SECRET_KEY} set: real Checkout Sessions. Webhooks verify with
 *       {@code CREDITS_STRIPE_WEBHOOK_SECRET}; without it every webhook is refused (400), since an
 *       unverifiable event must never move credits.</li>
 *   <li>No secret key and {@code credits.payments.simulated=true} (dev, test): simulated checkout.
 *       Webhooks verify with the configured secret, or with a random one made at start-up that the
 *       simulated checkout signs with.</li>
 *   <li>No secret key and not simulated (the default): payments are unavailable — starting a checkout is
 *       503 {@code payments_unavailable}, the simulated pages are 404 — and webhooks verify only with a
 *       configured secret (refunds of earlier purchases still arrive).</li>
 * </ul>
 */
@Component
class StripeKeys {
    private static final Logger log = LoggerFactory.getLogger(StripeKeys.class);

    private final String secretKey;
    private final String webhookSecret;
    private final boolean webhookSecretGenerated;
    private final String publicBaseUrl;
    private final boolean simulatedAllowed;
    private final StripeClient client;

    @Autowired
    StripeKeys(CreditsProperties properties, PaymentsSettings payments) {
        this(properties.stripe(), payments.simulated());
    }

    /** As in the dev and test profiles: simulated checkout allowed. */
    StripeKeys(CreditsProperties.Stripe stripe) {
        this(stripe, true);
    }

    StripeKeys(CreditsProperties.Stripe stripe, boolean simulatedAllowed) {
        this.simulatedAllowed = simulatedAllowed;
        this.secretKey = blankToNull(stripe.secretKey());
        String configured = blankToNull(stripe.webhookSecret());
        this.publicBaseUrl = blankToNull(stripe.publicBaseUrl());
        this.client = secretKey == null ? null : client(secretKey, blankToNull(stripe.apiBase()), stripe.timeout());
        if (configured != null) {
            this.webhookSecret = configured;
            this.webhookSecretGenerated = false;
        } else if (secretKey == null && simulatedAllowed) {
            this.webhookSecret = "whsec_dev_" + RandomIds.hex(24);
            this.webhookSecretGenerated = true;
        } else {
            this.webhookSecret = null;
            this.webhookSecretGenerated = false;
        }
        // The simulated mode is asked for (credits.payments.simulated, on only in the dev and test profiles), so
        // it is said plainly but not as a warning: a normal dev start logs no WARN. Production's default, no key
        // and no simulation, still warns.
        if (secretKey == null && simulatedAllowed) {
            log.info("CREDITS_STRIPE_SECRET_KEY is not set: credit packs are sold through the SIMULATED checkout, "
                    + "which grants credits without taking any payment (credits.payments.simulated=true).");
        } else if (secretKey == null) {
            log.warn("CREDITS_STRIPE_SECRET_KEY is not set and credits.payments.simulated is false: payments are "
                    + "UNAVAILABLE, POST /api/v1/checkout-sessions answers 503 payments_unavailable.");
        }
        if (webhookSecretGenerated) {
            log.info("CREDITS_STRIPE_WEBHOOK_SECRET is not set: webhooks verify with a random secret made at "
                    + "start-up, known only to the simulated checkout.");
        } else if (webhookSecret == null && secretKey != null) {
            log.error("CREDITS_STRIPE_SECRET_KEY is set but CREDITS_STRIPE_WEBHOOK_SECRET is not: every Stripe "
                    + "webhook will be refused and no purchase will be credited until it is set.");
        }
    }

    /** The simulated checkout stands in for Stripe: no key, and asked for. */
    boolean simulated() {
        return secretKey == null && simulatedAllowed;
    }

    /** Neither Stripe nor the simulated checkout: no pack can be bought. */
    boolean unavailable() {
        return secretKey == null && !simulatedAllowed;
    }

    /** The Stripe API key; null when the checkout is simulated. */
    String secretKey() {
        return secretKey;
    }

    /** This instance's Stripe client (its key, its API base, its bounds); null when there is no key. */
    StripeClient client() {
        return client;
    }

    /**
     * One client per instance, never the library's global {@code Stripe.apiKey}. Every call is bounded
     * ({@code credits.stripe.timeout} to connect and again to read) and retried twice by stripe-java on a
     * network error: the calls we make carry idempotency keys or create sessions nobody has seen yet, so a
     * retry cannot do a thing twice.
     */
    private static StripeClient client(String key, String apiBase, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(key)
                .setConnectTimeout(millis).setReadTimeout(millis).setMaxNetworkRetries(2);
        if (apiBase != null) builder.setApiBase(apiBase);
        return builder.build();
    }

    /** The secret webhooks are verified with; null when webhooks must be refused. */
    String webhookSecret() {
        return webhookSecret;
    }

    boolean webhookSecretGenerated() {
        return webhookSecretGenerated;
    }

    /** {@code credits.stripe.public-base-url}, or null to derive the base from the request. */
    String publicBaseUrl() {
        return publicBaseUrl;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
