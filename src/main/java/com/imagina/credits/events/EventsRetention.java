package com.imagina.credits.events;

import com.imagina.credits.system.ServiceClock;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Outbox retention: an event older than {@code credits.events.retention} (by its {@code created_at}, the service
 * clock) none of whose deliveries is still pending is deleted with its deliveries (delivered, given up or
 * cancelled) and their attempts. In batches of {@code retention-batch}, each its own short transaction under a
 * transaction-scoped advisory lock (an instance that does not get it leaves the work to the one that has it), the
 * events row-locked {@code skip locked} and their deliveries locked and checked again before anything goes, so a
 * resend racing the deletion either wins (the event stays, its delivery pending) or finds no delivery (404).
 * {@code event_sequences} is never touched: an account's next event continues its sequence.
 */
@Component
class EventsRetention {
    private static final Logger log = LoggerFactory.getLogger(EventsRetention.class);
    static final long LOCK_KEY = 0x4556544B454550L; // "EVTKEEP"
    /** A run stops after this many batches and goes on at the next beat, so one run is bounded too. */
    private static final int MAX_BATCHES_PER_RUN = 100;

    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final EventsRetentionProperties properties;
    private final TransactionTemplate tx;

    EventsRetention(JdbcClient jdbc, ServiceClock clock, EventsRetentionProperties properties,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.tx = new TransactionTemplate(transactions);
    }

    @Scheduled(fixedDelayString = "${credits.events.retention-interval:1h}",
            initialDelayString = "${credits.events.retention-initial-delay:5m}")
    void scheduled() {
        try {
            long deleted = runOnce();
            if (deleted > 0) {
                log.info("Outbox retention deleted {} events older than {}", deleted, properties.retention());
            }
        } catch (RuntimeException e) {
            log.warn("Outbox retention failed: {}", e.toString());
        }
    }

    /** Deletes what is due, batch by batch; answers how many events went (0 also when another instance holds the lock). */
    long runOnce() {
        Instant cutoff = clock.now().minus(properties.retention());
        long total = 0;
        for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
            Integer n = tx.execute(s -> batch(cutoff));
            if (n == null || n < 0) {
                break; // another instance is deleting
            }
            total += n;
            if (n < properties.retentionBatch()) {
                break;
            }
        }
        return total;
    }

    /** One batch in the caller's transaction: -1 without the lock, else the number of events deleted. */
    private int batch(Instant cutoff) {
        boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(:k)").param("k", LOCK_KEY)
                .query(Boolean.class).single();
        if (!locked) {
            return -1;
        }
        List<String> candidates = jdbc.sql("""
                select e.event_id from events e
                 where e.created_at < :cutoff
                   and not exists (select 1 from webhook_deliveries d where d.event_id = e.event_id and d.state = 'pending')
                 order by e.created_at, e.event_id
                 limit :batch
                   for update of e skip locked""")
                .param("cutoff", Timestamp.from(cutoff)).param("batch", properties.retentionBatch())
                .query(String.class).list();
        if (candidates.isEmpty()) {
            return 0;
        }
        List<String> ids = candidates;
        // Lock the deliveries (a resend or a sender's outcome waits) and keep out any event one of which is
        // pending now, as committed since the candidates were read.
        List<String> pending = jdbc.sql("""
                select distinct event_id from (
                    select event_id, state from webhook_deliveries where event_id in (:ids) for update) d
                 where state = 'pending'""")
                .param("ids", ids).query(String.class).list();
        if (!pending.isEmpty()) {
            ids = candidates.stream().filter(id -> !pending.contains(id)).toList();
            if (ids.isEmpty()) {
                return candidates.size();
            }
        }
        jdbc.sql("""
                delete from webhook_attempts a using webhook_deliveries d
                 where a.delivery_id = d.delivery_id and d.event_id in (:ids)""")
                .param("ids", ids).update();
        jdbc.sql("delete from webhook_deliveries where event_id in (:ids)").param("ids", ids).update();
        int deleted = jdbc.sql("delete from events where event_id in (:ids)").param("ids", ids).update();
        // A full batch means there may be more, even if some were kept back as pending.
        return pending.isEmpty() ? deleted : Math.max(deleted, candidates.size());
    }
}
