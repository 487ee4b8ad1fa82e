package com.imagina.credits.system.db;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
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
 * <p>Known defect (why it is off by default): a call waiting for a row locked elsewhere makes its whole
 * batch wait, up to {@code lock_timeout} ({@code StalledDatabaseTest} fails with it on).
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
     */
    @ConfigurationProperties("credits.turns.batch")
    public record Settings(@DefaultValue("false") boolean enabled, @DefaultValue("32") int maxSize,
            @DefaultValue("4") int inFlight) {}

    private final TransactionTemplate tx;
    private final Settings settings;
    private final DistributionSummary sizes;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry<?>> queue = new ArrayDeque<>();
    private int inFlight;

    GroupCommit(TransactionTemplate tx, Settings settings, MeterRegistry registry) {
        this.tx = tx;
        this.settings = settings;
        this.sizes = DistributionSummary.builder("credits.turns.batch.size")
                .description("calls committed together by the group commit (1: alone)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        registry.gauge("credits.turns.batch.queued", this, GroupCommit::queued);
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
        List<Entry<?>> toLead = entry.lead.join();
        if (toLead != null) {
            try {
                runBatch(toLead);
            } finally {
                handOff();
            }
        }
        return entry.answer();
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
            batch = new ArrayList<>(Math.min(queue.size(), settings.maxSize()));
            while (!queue.isEmpty() && batch.size() < settings.maxSize()) {
                batch.add(queue.poll());
            }
        } finally {
            lock.unlock();
        }
        batch.get(0).lead.complete(batch);
    }

    private void runBatch(List<Entry<?>> batch) {
        sizes.record(batch.size());
        List<Entry<?>> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparing((Entry<?> e) -> e.key, Comparator.nullsFirst(Comparator.naturalOrder())));
        try {
            tx.executeWithoutResult(status -> {
                for (Entry<?> entry : ordered) {
                    runInSavepoint(status, entry);
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
