package com.imagina.credits.ledger;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import com.imagina.credits.system.db.BatchWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks the ledger's guarantees against the stored data, one query each; every query counts the rows
 * that break its rule, so 0 everywhere means the books balance. Other packages (payments, payouts)
 * add their own checks as {@link Check} beans.
 *
 * <p>A run is one read-only REPEATABLE READ transaction (every check sees the same snapshot; it takes
 * no row locks, so turns never wait for it) with its own {@code statement_timeout} (SET LOCAL): a check
 * that passes it is reported {@code timed_out} (not ok) and the others still run. Two modes: full (every
 * row, each check one pass over its tables) and incremental ({@link Check#sinceSql}: only what changed
 * since an instant; a check without that form is reported {@code skipped}, and counts as ok).
 */
@Component
public class Reconciliation {
    private final JdbcClient jdbc;
    private final TransactionTemplate snapshot;
    private final List<Check> checks;
    private final Duration fullTimeout;
    private final Duration incrementalTimeout;
    private final Duration turnLookback;
    private final String workMem;
    private final BatchWork batch;

    Reconciliation(JdbcClient jdbc, PlatformTransactionManager transactions, ObjectProvider<Check> extraChecks,
            @Value("${credits.reconciliation.full-statement-timeout:120s}") Duration fullTimeout,
            @Value("${credits.reconciliation.incremental-statement-timeout:10s}") Duration incrementalTimeout,
            @Value("${credits.holds.ttl:10m}") Duration holdTtl,
            @Value("${credits.reconciliation.overlap:1m}") Duration overlap,
            @Value("${credits.reconciliation.work-mem:64MB}") String workMem, BatchWork batch) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        List<Check> all = new ArrayList<>(LedgerChecks.CORE);
        all.addAll(extraChecks.orderedStream().toList());
        this.checks = List.copyOf(all);
        this.fullTimeout = fullTimeout;
        this.incrementalTimeout = incrementalTimeout;
        this.turnLookback = holdTtl.plus(overlap);
        this.workMem = workMem;
    }

    /**
     * A named invariant: SQL that counts violating rows over all data, and optionally the same rule over
     * what changed since {@code :since} (entries and turns of that time or later; {@code :turnsSince}
     * reaches back one hold TTL further, to the turns that may have closed since).
     */
    public record Check(String name, String description, String violationsSql, String sinceSql) {
        public Check(String name, String description, String violationsSql) {
            this(name, description, violationsSql, null);
        }
    }

    /**
     * {@code status}: {@code checked}, {@code timed_out} (not ok; {@code violations} null) or
     * {@code skipped} (no incremental form). {@code millis}: how long the query took.
     */
    record CheckResult(String name, String description, boolean ok, Long violations, String status,
            long millis) {}

    /** {@code mode} {@code full} or {@code incremental} (then {@code since} is set); {@code millis} in all. */
    record Report(boolean ok, String mode, Instant since, long violations, long millis,
            List<CheckResult> checks) {}

    Report full() {
        return run(null);
    }

    /** Only what changed at or after {@code since} (service clock). */
    Report since(Instant since) {
        return run(since);
    }

    /** Runs inside the caller's transaction when there is one (the scheduled job's, with its lock). */
    Report run(Instant since) {
        return snapshot.execute(status -> runHere(since));
    }

    Report runHere(Instant since) {
        long started = System.nanoTime();
        Duration timeout = since == null ? fullTimeout : incrementalTimeout;
        // Its own bounds: a check may wait for a lock (a migration, a table lock) only as long as it may run.
        jdbc.sql("select set_config('statement_timeout', :t, true), set_config('lock_timeout', :t, true),"
                + " set_config('work_mem', :m, true)")
                .param("t", timeout.toMillis() + "ms").param("m", workMem).query().singleRow();
        batch.liftSocketTimeout(timeout);
        List<CheckResult> results = new ArrayList<>();
        for (Check check : checks) {
            results.add(evaluate(check, since));
        }
        long violations = results.stream().mapToLong(r -> r.violations() == null ? 0 : r.violations()).sum();
        return new Report(results.stream().allMatch(CheckResult::ok), since == null ? "full" : "incremental",
                since, violations, millisSince(started), results);
    }

    private CheckResult evaluate(Check check, Instant since) {
        String sql = since == null ? check.violationsSql() : check.sinceSql();
        if (sql == null) {
            return new CheckResult(check.name(), check.description(), true, null, "skipped", 0);
        }
        long started = System.nanoTime();
        jdbc.sql("savepoint reconciliation_check").update();
        try {
            JdbcClient.StatementSpec statement = jdbc.sql(sql);
            if (since != null) {
                statement = statement.param("since", Timestamp.from(since))
                        .param("turnsSince", Timestamp.from(since.minus(turnLookback)));
            }
            long violations = statement.query(Long.class).single();
            jdbc.sql("release savepoint reconciliation_check").update();
            return new CheckResult(check.name(), check.description(), violations == 0, violations, "checked",
                    millisSince(started));
        } catch (DataAccessException e) {
            if (!isStatementTimeout(e)) {
                throw e;
            }
            jdbc.sql("rollback to savepoint reconciliation_check").update();
            return new CheckResult(check.name(), check.description(), false, null, "timed_out", millisSince(started));
        }
    }

    /** PostgreSQL's 57014 (query_canceled): the statement passed its statement_timeout. */
    private static boolean isStatementTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
