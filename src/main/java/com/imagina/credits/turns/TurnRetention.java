package com.imagina.credits.turns;

import com.imagina.credits.system.ServiceClock;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The retention rule: ledger entries are kept for ever; a settled turn's stored replay answers and its usage
 * as sent are dropped {@code credits.retention.replay-days} (default 30) after it closed. Everything that
 * explains and recomputes the cost stays (normalized usage, price snapshot, cost, charge, request hashes).
 * A replay of a pruned turn answers 409 {@code replay_expired} (a different body is still
 * {@code idempotency_conflict}); {@code GET /api/v1/turns/{id}} shows its state.
 *
 * <p>The job prunes in bounded batches ({@code credits.retention.batch-size}, default 5,000 turns), each in a
 * transaction that first locks the one {@code retention_state} row, so two instances never prune the same
 * batch; the row's {@code pruned_before} is where the next batch starts (an index range on closed_at, not a
 * scan of what was pruned already). Voided and expired turns keep their short authorize answer.
 */
@Component
class TurnRetention {
    private static final Logger log = LoggerFactory.getLogger(TurnRetention.class);

    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final TransactionTemplate tx;
    private final Duration keep;
    private final int batchSize;
    private final int maxBatches;

    TurnRetention(JdbcClient jdbc, ServiceClock clock, TransactionTemplate tx,
            @Value("${credits.retention.replay-days:30}") int replayDays,
            @Value("${credits.retention.batch-size:5000}") int batchSize,
            @Value("${credits.retention.max-batches-per-run:200}") int maxBatches) {
        if (replayDays < 1) throw new IllegalStateException("credits.retention.replay-days must be at least 1");
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = tx;
        this.keep = Duration.ofDays(replayDays);
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
    }

    @Scheduled(fixedDelayString = "${credits.retention.interval:1h}", initialDelayString = "${credits.retention.interval:1h}")
    void tick() {
        try {
            int pruned = pruneDue();
            if (pruned > 0) log.info("Retention: dropped the stored answers and raw usage of {} turns", pruned);
        } catch (RuntimeException e) {
            log.warn("Retention run failed; the next run carries on: {}", e.toString());
        }
    }

    /** The answer to a replay of a turn whose stored answer retention dropped. */
    static com.imagina.credits.system.ApiException replayExpired(String turnId) {
        return com.imagina.credits.system.ApiException.conflict("replay_expired", "Turn '" + turnId
                + "' closed longer ago than the replay window; its answer is no longer kept."
                + " GET /api/v1/turns/" + turnId + " shows its state.");
    }

    /** Prunes every settled turn closed before now − the window, batch by batch; returns how many. */
    int pruneDue() {
        Instant cutoff = clock.now().minus(keep);
        int total = 0;
        for (int i = 0; i < maxBatches; i++) {
            Integer n = tx.execute(status -> pruneBatch(cutoff));
            if (n == null || n < 0) break;
            total += n;
        }
        return total;
    }

    /** One batch under the state row's lock: how many turns it pruned, or −1 when it reached the cutoff. */
    private int pruneBatch(Instant cutoff) {
        Timestamp from = jdbc.sql("select pruned_before from retention_state where id = 1 for update")
                .query(Timestamp.class).single();
        Timestamp to = Timestamp.from(cutoff);
        if (!from.before(to)) return -1;
        // The batch's closed_at range: up to the batchSize-th settled turn after the mark, or the cutoff.
        Timestamp end = jdbc.sql("""
                select closed_at from turns
                 where status = 'settled' and closed_at >= :from and closed_at < :to
                 order by closed_at offset :n limit 1""")
                .param("from", from).param("to", to).param("n", batchSize).query(Timestamp.class).optional()
                .orElse(to);
        if (!end.after(from)) end = new Timestamp(from.getTime() + 1); // more than a batch at one instant
        int n = jdbc.sql("""
                update turns set authorize_response = null, settle_response = null, usage_raw = null
                 where status = 'settled' and closed_at >= :from and closed_at < :end
                   and (authorize_response is not null or settle_response is not null or usage_raw is not null)""")
                .param("from", from).param("end", end).update();
        jdbc.sql("update retention_state set pruned_before = :end where id = 1").param("end", end).update();
        return n;
    }
}
