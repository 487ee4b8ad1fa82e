package com.imagina.credits.payments;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.ServiceClock;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Starts a checkout for a pack: a real Stripe Checkout Session when a secret key is configured, a
 * simulated one ({@code cs_sim_...}, paid on this service's own page) otherwise. Either way the
 * session is stored as {@code open} with the offer, and its grant arrives through the webhook path.
 */
@Service
class Checkouts {
    private static final Logger log = LoggerFactory.getLogger(Checkouts.class);

    private final CheckoutSessions sessions;
    private final ServiceClock clock;
    private final StripeCheckout stripe;
    private final boolean unavailable;

    Checkouts(CheckoutSessions sessions, ServiceClock clock, StripeKeys keys) {
        this.sessions = sessions;
        this.clock = clock;
        this.unavailable = keys.unavailable();
        this.stripe = keys.client() == null ? null : new StripeCheckout(keys.client());
    }

    record Created(String id, String url) {}

    Created create(Pack pack, String accountId, String baseUrl) {
        if (unavailable) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "payments_unavailable",
                    "Credit packs cannot be bought on this server right now.");
        }
        if (stripe == null) {
            String id = SimulatedCheckout.PREFIX + RandomIds.hex(24);
            String url = baseUrl + SimulatedCheckoutController.PAGE + id;
            sessions.insertOpen(id, accountId, pack, SessionSource.SIMULATED, url, clock.now());
            return new Created(id, url);
        }
        Session session;
        try {
            session = stripe.create(pack, accountId, baseUrl);
        } catch (StripeException e) {
            log.error("Stripe refused to create a Checkout Session for pack {}: {} (request {})", pack.id(),
                    e.getMessage(), e.getRequestId());
            throw new ApiException(HttpStatus.BAD_GATEWAY, "payment_provider_error",
                    "The payment provider could not start a checkout; try again later.");
        }
        sessions.insertOpen(session.getId(), accountId, pack, SessionSource.STRIPE, session.getUrl(), clock.now());
        return new Created(session.getId(), session.getUrl());
    }
}
