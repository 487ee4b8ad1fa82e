package com.imagina.credits.ledger;

import com.imagina.credits.system.ServiceClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The scheduled incremental reconciliation: every {@code credits.reconciliation.interval} it checks
 * what changed since the stored watermark (minus {@code credits.reconciliation.overlap}, so a
 * transaction that took its time before committing is still seen), once at a time across instances (a
 * transaction-scoped advisory lock; an instance that does not get it skips the beat), and moves the
 * watermark to the run's start. The last result is kept in {@code reconciliation_state}, and every
 * instance exports it: {@code credits.reconciliation.ok} (1 or 0), {@code credits.reconciliation.violations},
 * {@code credits.reconciliation.duration.seconds}, {@code credits.reconciliation.checked.through}
 * (epoch seconds). The first run starts from the first beat's time: older data is the full run's.
 */
@Component
class ReconciliationJob {
    private static final Logger log = LoggerFactory.getLogger(ReconciliationJob.class);
    private static final long LOCK_KEY = 0x5245434F4EL; // "RECON"

    private final JdbcClient jdbc;
    private final Reconciliation reconciliation;
    private final ServiceClock clock;
    private final TransactionTemplate snapshot;
    private final TransactionTemplate write;
    private final Duration overlap;
    private final AtomicReference<State> last = new AtomicReference<>();

    record State(Instant checkedThrough, Instant lastRunAt, String lastMode, boolean lastOk, long lastViolations,
            long lastMillis) {}

    ReconciliationJob(JdbcClient jdbc, Reconciliation reconciliation, ServiceClock clock,
            PlatformTransactionManager transactions, MeterRegistry meters,
            @Value("${credits.reconciliation.overlap:1m}") Duration overlap) {
        this.jdbc = jdbc;
        this.reconciliation = reconciliation;
        this.clock = clock;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.write = new TransactionTemplate(transactions);
        this.write.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.overlap = overlap;
        Gauge.builder("credits.reconciliation.ok", last, s -> s.get() == null ? Double.NaN : s.get().lastOk() ? 1 : 0)
                .description("1 when the last reconciliation found no violation").register(meters);
        Gauge.builder("credits.reconciliation.violations", last,
                        s -> s.get() == null ? Double.NaN : s.get().lastViolations())
                .description("Violating rows the last reconciliation counted").register(meters);
        Gauge.builder("credits.reconciliation.duration", last,
                        s -> s.get() == null ? Double.NaN : s.get().lastMillis() / 1000.0)
                .baseUnit("seconds").description("How long the last reconciliation took").register(meters);
        Gauge.builder("credits.reconciliation.checked.through", last,
                        s -> s.get() == null ? Double.NaN : s.get().checkedThrough().getEpochSecond())
                .description("Epoch second up to which the ledger was last reconciled").register(meters);
    }

    @Scheduled(fixedDelayString = "${credits.reconciliation.interval:1m}",
            initialDelayString = "${credits.reconciliation.initial-delay:1m}")
    void scheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("Scheduled reconciliation failed: {}", e.toString());
        }
        refresh();
    }

    /** One incremental run if no other instance is running one; empty when it skipped. */
    Optional<Reconciliation.Report> runOnce() {
        Instant startedAt = clock.now();
        Optional<Reconciliation.Report> report = Optional.ofNullable(snapshot.execute(status -> {
            boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(:k)").param("k", LOCK_KEY)
                    .query(Boolean.class).single();
            if (!locked) {
                return null;
            }
            Instant watermark = jdbc.sql("select checked_through from reconciliation_state where id = 1")
                    .query(Timestamp.class).optional().map(Timestamp::toInstant).orElse(startedAt);
            return reconciliation.runHere(watermark.minus(overlap));
        }));
        report.ifPresent(r -> {
            record(r, startedAt);
            if (!r.ok()) {
                log.error("Reconciliation since {} found {} violating rows: {}", r.since(), r.violations(),
                        r.checks().stream().filter(c -> !c.ok()).map(c -> c.name() + "=" + c.status()
                                + (c.violations() == null ? "" : ":" + c.violations())).toList());
            }
        });
        return report;
    }

    /** Where the next incremental run starts: the watermark minus the overlap (now, before any run). */
    Instant incrementalStart() {
        return jdbc.sql("select checked_through from reconciliation_state where id = 1")
                .query(Timestamp.class).optional().map(Timestamp::toInstant).orElse(clock.now()).minus(overlap);
    }

    /**
     * A full run on demand; when it is ok it also moves the watermark to its start (everything before
     * was just checked), which ends an incremental alarm once the books are put right.
     */
    Reconciliation.Report fullRun() {
        Instant startedAt = clock.now();
        Reconciliation.Report report = reconciliation.full();
        try {
            record(report, startedAt);
            refresh();
        } catch (RuntimeException e) {
            log.warn("Could not store the reconciliation result: {}", e.toString());
        }
        return report;
    }

    /** Stores a run's result; the watermark moves only forward, and only past a run that was ok. */
    void record(Reconciliation.Report r, Instant startedAt) {
        write.executeWithoutResult(status -> jdbc.sql("""
                insert into reconciliation_state as s (id, checked_through, last_run_at, last_mode, last_ok,
                       last_violations, last_millis)
                values (1, :through, :at, :mode, :ok, :violations, :millis)
                on conflict (id) do update
                   set checked_through = case when excluded.last_ok
                           then greatest(s.checked_through, excluded.checked_through) else s.checked_through end,
                       last_run_at = excluded.last_run_at, last_mode = excluded.last_mode, last_ok = excluded.last_ok,
                       last_violations = excluded.last_violations, last_millis = excluded.last_millis""")
                .param("through", Timestamp.from(r.ok() ? startedAt : r.since() == null ? startedAt : r.since()))
                .param("at", Timestamp.from(startedAt)).param("mode", r.mode()).param("ok", r.ok())
                .param("violations", r.violations()).param("millis", r.millis()).update());
    }

    /** Reads the last stored result for the metrics (whichever instance ran it). */
    void refresh() {
        try {
            jdbc.sql("""
                    select checked_through, last_run_at, last_mode, last_ok, last_violations, last_millis
                      from reconciliation_state where id = 1""")
                    .query((rs, n) -> new State(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(),
                            rs.getString(3), rs.getBoolean(4), rs.getLong(5), rs.getLong(6)))
                    .optional().ifPresent(last::set);
        } catch (RuntimeException e) {
            log.debug("Could not read the reconciliation state: {}", e.toString());
        }
    }
}
