package com.imagina.credits.system.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit of the money path's calls (authorize, settle, void), one batcher per instance.
 *
 * <p>A call that finds fewer than {@code credits.turns.batch.in-flight} calls or batches in flight runs at
 * once, exactly as without batching (its own statements, committed as they commit alone): an idle or lightly
 * loaded service adds no wait. Calls that arrive while that many are in flight queue; when one ends, the
 * first of them leads the queued calls (at most {@code credits.turns.batch.max-size}) as one batch in its
 * own thread (several in flight: the service's CPU of the calls' database work is not serialised on one
 * thread):
 * <ul>
 * <li>one transaction; the calls in the order of their key (the account id: named by an authorization, read
 *     for a settle or void by one plain read of its turn, only when the call queues — a call run at once
 *     pays nothing; keyless calls, an unknown turn, first; a stable sort), so that account rows are taken in
 *     one order by every batch of every instance; a deadlock that remains is broken by PostgreSQL and the
 *     loser is run again alone, below;</li>
 * <li>a SAVEPOINT per call: the call's own code runs unchanged (its {@code TransactionTemplate}s join the
 *     batch's transaction). A call that fails with its answer (an {@code ApiException}: 402, 404, 409 ...)
 *     keeps what it wrote outside its own inner transactions (as autocommit statements would) and loses
 *     what its failed inner transaction wrote (the savepoint is rolled back when that inner transaction
 *     marked the batch rollback-only). A call whose database work failed in any other way (a duplicate
 *     key from a concurrent call on another instance, a deadlock, a statement that aborted the
 *     transaction) is rolled back to its savepoint and, after the batch's commit, <em>run again alone</em>
 *     — the one-at-a-time path, so its answer is the one it would have had arriving a moment later. A
 *     lock wait or statement past its bound (503, {@link DatabaseUnavailable}) is that call's answer;</li>
 * <li>ONE commit; every caller is answered only after it. A batch that fails as a whole (the connection
 *     lost, the commit refused) answers every one of its callers with that failure (503 as today) and
 *     acknowledges nothing.</li>
 * </ul>
 * Two calls on the same turn id in one batch see each other's writes (one transaction), so the second is
 * answered as a replay or conflict, as it would be after the first alone. Correctness stays in the
 * database: several instances each batch their own calls. {@code synchronous_commit} is untouched.
 *
 * <p>A row locked elsewhere (a stuck transaction, an operator's session, another instance's batch) must not
 * stall the calls of other accounts (head-of-line blocking), two ways:
 * <ul>
 * <li>inside a batch, a lock is waited for at most {@code credits.turns.batch.lock-timeout} (100 ms,
 *     {@code SET LOCAL lock_timeout}) instead of the sessions' 2 s; a call that times out there is rolled
 *     back to its savepoint and run again alone after the commit (with the 2 s bound, so its answer is a
 *     success or the 503 it would have had), and the batch's later calls on the same account skip the wait
 *     and go the same way. That bound is also below PostgreSQL's {@code deadlock_timeout} (1 s), so two
 *     batches that take rows in different orders (several instances, a call whose account was unknown when
 *     it queued) time out instead of deadlocking;</li>
 * <li>a queued call waits at most {@code credits.turns.batch.max-wait} (50 ms) for a place in flight: past
 *     it, the oldest queued calls start a batch anyway, beyond {@code in-flight}, so calls stuck on a lock
 *     (each holds its place for up to the 2 s lock timeout) do not hold up the queue. The connection pool
 *     still bounds how many run at once (its wait is bounded too: 503).</li>
 * </ul>
 * Each call locks one account row (authorize, settle and void write only their own account; the world
 * owner's share is paid by the payout run, not by a settle), plus its own turn row.
 * ({@code StalledDatabaseBatchedTest}: the stalled-database test with batching on.)
 *
 * <p>The size of every batch (1 for a call run at once or alone again) is the distribution summary
 * {@code credits.turns.batch.size}.
 */
@Component
public class GroupCommit {
    /**
     * {@code credits.turns.batch.*}.
     *
     * @param enabled false (the default, see bench/README.md "Group commit": on this machine it measured
     *        slower): every call runs at once, one at a time, the path without group commit
     * @param maxSize the most calls one batch takes
     * @param inFlight how many calls or batches run at once (each on its own connection); a call that finds
     *        fewer in flight runs at once, the others queue for the next batch
     * @param maxWait the longest a queued call waits for a place in flight before the oldest queued calls
     *        start a batch anyway
     * @param lockTimeout the longest a call inside a batch waits for a lock before it is run again alone
     */
    @ConfigurationProperties("credits.turns.batch")
    public record Settings(@DefaultValue("false") boolean enabled, @DefaultValue("32") int maxSize,
            @DefaultValue("4") int inFlight, @DefaultValue("50ms") Duration maxWait,
            @DefaultValue("100ms") Duration lockTimeout) {
        public Settings {
            if (maxSize < 1 || inFlight < 1) {
                throw new IllegalArgumentException("credits.turns.batch.max-size and .in-flight must be at least 1");
            }
            if (maxWait.isNegative() || maxWait.isZero() || lockTimeout.isNegative() || lockTimeout.isZero()) {
                throw new IllegalArgumentException("credits.turns.batch.max-wait and .lock-timeout must be positive");
            }
        }
    }

    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final Settings settings;
    private final DistributionSummary sizes;
    private final Counter overdue;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry<?>> queue = new ArrayDeque<>();
    private int inFlight;

    GroupCommit(TransactionTemplate tx, JdbcClient jdbc, Settings settings, MeterRegistry registry) {
        this.tx = tx;
        this.jdbc = jdbc;
        this.settings = settings;
        this.sizes = DistributionSummary.builder("credits.turns.batch.size")
                .description("calls committed together by the group commit (1: alone)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        registry.gauge("credits.turns.batch.queued", this, GroupCommit::queued);
        this.overdue = Counter.builder("credits.turns.batch.overdue")
                .description("batches started beyond in-flight because their oldest call waited max-wait")
                .register(registry);
    }

    /** How many calls or batches run at once before calls queue. */
    public int inFlightLimit() {
        return settings.inFlight();
    }

    /** Calls waiting for a call or batch in flight to end. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Runs {@code call} (one money-path call's whole database work) at once or in the next batch, and
     * answers once its effects are committed.
     *
     * @param key the account id the call locks first (asked only when the call queues; null: unknown)
     */
    public <T> T run(Supplier<String> key, Supplier<T> call) {
        if (!settings.enabled()) {
            return call.get();
        }
        Entry<T> entry = new Entry<>(call);
        boolean alone;
        lock.lock();
        try {
            alone = inFlight < settings.inFlight();
            if (alone) {
                inFlight++;
            }
        } finally {
            lock.unlock();
        }
        if (!alone) {
            entry.key = key.get(); // before it can be taken into a batch: asked outside the queue's lock
            lock.lock();
            try {
                if (inFlight < settings.inFlight()) {
                    inFlight++;
                    alone = true;
                } else {
                    entry.queuedAt = System.nanoTime();
                    queue.add(entry);
                }
            } finally {
                lock.unlock();
            }
        }
        if (alone) {
            try {
                sizes.record(1);
                return call.get();
            } finally {
                handOff();
            }
        }
        List<Entry<?>> toLead = awaitLead(entry);
        if (toLead != null) {
            try {
                runBatch(toLead);
            } finally {
                handOff();
            }
        }
        return entry.answer();
    }

    /**
     * Waits until this queued call leads a batch (the batch) or a batch led by another has answered it
     * (null). Every {@code max-wait} it checks whether the oldest queued call has waited that long, and if
     * so starts a batch of the queue's head beyond {@code in-flight}.
     */
    private List<Entry<?>> awaitLead(Entry<?> entry) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return entry.lead.get(settings.maxWait().toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException late) {
                    startOverdue();
                } catch (InterruptedException e) {
                    interrupted = true; // the call is in the queue: it must still be answered
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a batch's lead is never completed exceptionally", e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts a batch of the queue's head beyond in-flight if the oldest queued call has waited max-wait. */
    private void startOverdue() {
        List<Entry<?>> batch = null;
        lock.lock();
        try {
            Entry<?> oldest = queue.peek();
            if (oldest != null && System.nanoTime() - oldest.queuedAt >= settings.maxWait().toNanos()) {
                inFlight++; // this batch's leader hands off (or gives the place back) when it ends
                batch = takeBatch();
            }
        } finally {
            lock.unlock();
        }
        if (batch != null) {
            overdue.increment();
            batch.get(0).lead.complete(batch);
        }
    }

    /** The next batch to the first call queued (it takes this one's place in flight), or one fewer in flight. */
    private void handOff() {
        List<Entry<?>> batch;
        lock.lock();
        try {
            if (queue.isEmpty()) {
                inFlight--;
                return;
            }
            batch = takeBatch();
        } finally {
            lock.unlock();
        }
        batch.get(0).lead.complete(batch);
    }

    /** The queue's first calls, at most max-size; the queue's lock is held. */
    private List<Entry<?>> takeBatch() {
        List<Entry<?>> batch = new ArrayList<>(Math.min(queue.size(), settings.maxSize()));
        while (!queue.isEmpty() && batch.size() < settings.maxSize()) {
            batch.add(queue.poll());
        }
        return batch;
    }

    private void runBatch(List<Entry<?>> batch) {
        sizes.record(batch.size());
        List<Entry<?>> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparing((Entry<?> e) -> e.key, Comparator.nullsFirst(Comparator.naturalOrder())));
        try {
            tx.executeWithoutResult(status -> {
                jdbc.sql("select set_config('lock_timeout', :t, true)")
                        .param("t", settings.lockTimeout().toMillis() + "ms").query(String.class).single();
                Set<String> blocked = new HashSet<>(); // accounts a call of this batch timed out waiting for
                for (Entry<?> entry : ordered) {
                    if (entry.key != null && blocked.contains(entry.key)) {
                        entry.outcome = Again.INSTANCE; // its row is locked elsewhere: wait for it alone
                        continue;
                    }
                    runInSavepoint(status, entry);
                    if (entry.lockTimedOut && entry.key != null) {
                        blocked.add(entry.key);
                    }
                }
            });
        } catch (RuntimeException | Error whole) {
            for (Entry<?> entry : ordered) {
                entry.outcome = new Failed(whole); // nothing of the batch is acknowledged
            }
        }
        for (Entry<?> entry : batch) {
            if (entry != batch.get(0)) {
                entry.lead.complete(null);
            }
        }
    }

    private static void runInSavepoint(TransactionStatus status, Entry<?> entry) {
        Object savepoint = status.createSavepoint();
        try {
            Object value = entry.call.get();
            if (status.isRollbackOnly()) {
                // The call swallowed a failure of its own inner transaction: undo it, run it again alone.
                status.rollbackToSavepoint(savepoint);
                entry.outcome = Again.INSTANCE;
                return;
            }
            status.releaseSavepoint(savepoint);
            entry.outcome = new Value(value);
        } catch (RuntimeException failure) {
            if (isAnswer(failure)) {
                if (status.isRollbackOnly()) {
                    status.rollbackToSavepoint(savepoint); // its inner transaction failed with this answer
                } else {
                    releaseOrUndo(status, savepoint, entry);
                    if (entry.outcome == Again.INSTANCE) {
                        return;
                    }
                }
                entry.outcome = new Failed(failure);
            } else if (DatabaseUnavailable.lockTimedOut(failure)) {
                // Past the batch's short lock wait: the row is held elsewhere. Undone here, run again alone
                // after the commit with the sessions' own bound, so that the rest of the batch does not wait.
                status.rollbackToSavepoint(savepoint);
                entry.lockTimedOut = true;
                entry.outcome = Again.INSTANCE;
            } else if (DatabaseUnavailable.classify(failure) == DatabaseUnavailable.Kind.UNAVAILABLE) {
                status.rollbackToSavepoint(savepoint); // throws if the connection is gone: the whole batch fails
                entry.outcome = new Failed(failure);
            } else {
                status.rollbackToSavepoint(savepoint);
                entry.outcome = Again.INSTANCE;
            }
        }
    }

    /** An answer after statements that may have left the transaction aborted: kept if it can be. */
    private static void releaseOrUndo(TransactionStatus status, Object savepoint, Entry<?> entry) {
        try {
            status.releaseSavepoint(savepoint);
        } catch (RuntimeException aborted) {
            status.rollbackToSavepoint(savepoint);
            entry.outcome = Again.INSTANCE;
        }
    }

    /** A failure that is the call's answer (problem+json with its code), not a database failure. */
    private static boolean isAnswer(RuntimeException failure) {
        return !(failure instanceof org.springframework.dao.DataAccessException)
                && !(failure instanceof org.springframework.transaction.TransactionException)
                && DatabaseUnavailable.classify(failure) == DatabaseUnavailable.Kind.NONE;
    }

    private sealed interface Outcome permits Value, Failed, Again {}

    private record Value(Object value) implements Outcome {}

    private record Failed(Throwable failure) implements Outcome {}

    private enum Again implements Outcome { INSTANCE }

    private final class Entry<T> {
        volatile String key;
        long queuedAt;
        boolean lockTimedOut;
        final Supplier<T> call;
        /** The batch this call leads, or null once a batch led by another has answered it. */
        final CompletableFuture<List<Entry<?>>> lead = new CompletableFuture<>();
        volatile Outcome outcome;

        Entry(Supplier<T> call) {
            this.call = call;
        }

        @SuppressWarnings("unchecked")
        T answer() {
            Outcome done = outcome;
            if (done instanceof Value v) {
                return (T) v.value();
            }
            if (done instanceof Failed f) {
                if (f.failure() instanceof RuntimeException r) throw r;
                if (f.failure() instanceof Error e) throw e;
                throw new IllegalStateException(f.failure());
            }
            sizes.record(1);
            return call.get(); // again, alone, after the batch's commit
        }
    }
}
