package com.imagina.credits.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code credits.events.*}. Delivery is bounded on every side: at most {@code concurrency} requests at
 * once per instance (threads of its own, never request threads), each with a connect and a whole-request
 * timeout, under a lease a little longer than that; retries from {@code retry-initial} doubling up to
 * {@code retry-max}; given up {@code give-up-after} the delivery was queued. {@code grant-expiring-before}:
 * how long before a grant's expiry {@code grant.expiring} is published. {@code low-balance-default-millicredits}:
 * the threshold of accounts that set none (0: no alert).
 * {@code lease-margin}: how much longer than a request's bound a sender's lease lasts.
 */
@ConfigurationProperties("credits.events")
public record EventsProperties(
        @DefaultValue("0") long lowBalanceDefaultMillicredits,
        @DefaultValue("true") boolean deliveryEnabled,
        @DefaultValue("4") int concurrency,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("10s") Duration retryInitial,
        @DefaultValue("1h") Duration retryMax,
        @DefaultValue("3d") Duration giveUpAfter,
        @DefaultValue("P1D") Duration grantExpiringBefore,
        @DefaultValue("30s") Duration grantExpiringSweepInterval,
        @DefaultValue("30s") Duration leaseMargin) {

    public EventsProperties {
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("credits.events.concurrency must be 1..64");
        }
        if (lowBalanceDefaultMillicredits < 0 || lowBalanceDefaultMillicredits > 1_000_000_000_000L) {
            throw new IllegalArgumentException("credits.events.low-balance-default-millicredits must be 0..10^12");
        }
        if (grantExpiringBefore.isNegative() || grantExpiringBefore.isZero()) {
            throw new IllegalArgumentException("credits.events.grant-expiring-before must be positive");
        }
    }

    /**
     * A delivery's lease: the whole request's bound and {@code lease-margin}, so a live sender never loses its
     * lease; a dead one's deliveries are sent again by another instance that long after it died.
     */
    Duration lease() {
        return connectTimeout.plus(requestTimeout).plusSeconds(1).plus(leaseMargin);
    }
}
