package com.imagina.credits.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code credits.events.*}: the low-balance default and webhook delivery. Delivery is bounded on every
 * side: {@code concurrency} requests at once per instance (its own threads, never the request threads),
 * each with a connect and a whole-request timeout, a lease a little longer than that, retries from
 * {@code retry-initial} doubling to {@code retry-max}, given up {@code give-up-after} the event.
 */
@ConfigurationProperties("credits.events")
public record EventsProperties(
        /* The global default low-balance threshold (50 credits, about one first turn on the default model); 0: none. */
        @DefaultValue("50000") long lowBalanceDefaultMillicredits,
        @DefaultValue("true") boolean deliveryEnabled,
        @DefaultValue("4") int concurrency,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("10s") Duration retryInitial,
        @DefaultValue("1h") Duration retryMax,
        @DefaultValue("3d") Duration giveUpAfter) {

    public EventsProperties {
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("credits.events.concurrency must be 1..64");
        }
        if (lowBalanceDefaultMillicredits < 0) {
            throw new IllegalArgumentException("credits.events.low-balance-default-millicredits must be >= 0");
        }
    }

    /** A delivery's lease: the whole request's bound and a margin, so a live sender never loses its lease. */
    public Duration lease() {
        return connectTimeout.plus(requestTimeout).plusSeconds(30);
    }
}
