package com.imagina.credits.system.http;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code credits.http.*}: what one request may cost the service before any of its code runs.
 *
 * @param maxBodySize        every JSON (or other) request body; more is 413 {@code payload_too_large}
 * @param maxWebhookBodySize the Stripe webhook's body (Stripe's events are a few KiB; 256 KiB is generous)
 * @param bodyTimeout        the whole body must have arrived within this time after the request began to be
 *                           read, else 408 and the connection is closed; one read waits at most Tomcat's
 *                           {@code server.tomcat.connection-timeout}, so a client is cut after at most the sum
 * @param retryAfter         the {@code Retry-After} of every 503 (the database could not answer in time)
 */
@ConfigurationProperties("credits.http")
public record HttpLimits(
        @DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue("256KB") DataSize maxWebhookBodySize,
        @DefaultValue("10s") Duration bodyTimeout,
        @DefaultValue("2s") Duration retryAfter) {

    static final String WEBHOOK_PATH = "/api/v1/stripe/webhook";

    long limitFor(String path) {
        return WEBHOOK_PATH.equals(path) ? maxWebhookBodySize.toBytes() : maxBodySize.toBytes();
    }

    /** Whole seconds for the {@code Retry-After} header, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
