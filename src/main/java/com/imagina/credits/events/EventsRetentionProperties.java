package com.imagina.credits.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code credits.events.retention} (30 days): how long an event and its finished deliveries are kept, by the
 * event's {@code created_at} (the service clock); {@code retention-batch}: events deleted per transaction;
 * {@code retention-interval}: how often each instance tries (only one works at a time). The retention must be
 * longer than {@code grant-expiring-before} and a day, so an event's dedupe key outlives the fact it stands for
 * (a grant's expiry, a UTC day's spend limit) and deleting it cannot let the fact be published twice.
 */
@ConfigurationProperties("credits.events")
record EventsRetentionProperties(
        @DefaultValue("30d") Duration retention,
        @DefaultValue("1000") int retentionBatch,
        @DefaultValue("1h") Duration retentionInterval,
        @DefaultValue("P1D") Duration grantExpiringBefore) {

    public EventsRetentionProperties {
        if (retention.compareTo(Duration.ofDays(1)) <= 0 || retention.compareTo(grantExpiringBefore) <= 0) {
            throw new IllegalArgumentException(
                    "credits.events.retention must be longer than a day and than credits.events.grant-expiring-before");
        }
        if (retentionBatch < 1 || retentionBatch > 100_000) {
            throw new IllegalArgumentException("credits.events.retention-batch must be 1..100000");
        }
    }
}
