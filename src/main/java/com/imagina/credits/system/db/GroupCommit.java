package com.imagina.credits.system.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
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
import org.springframework.transaction.TransactionDefinition;
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
 * thread). Batches are routed by account: a queued call whose account is in a batch in flight waits for a
 * later batch, so batches never queue on one account's row inside their transactions (without it one hot
 * account made about half the turns: 96.8 against 186.8 turns/s, bench/README.md "Group commit without
 * savepoints"):
 * <ul>
 * <li>one transaction; the calls in the order of their key (the account id: named by an authorization, read
 *     for a settle or void by one plain read of its turn, only when the call queues — a call run at once
 *     pays nothing; keyless calls, an unknown turn, first; a stable sort), so that account rows are taken in
 *     one order by every batch of every instance; a deadlock that remains is broken by PostgreSQL and the
 *     loser is run again alone, below;</li>
 * <li>no savepoint per call: the calls' own code runs unchanged, one after another. Their own inner
 *     transactions ({@link #nested}) become savepoints of the batch's, so a refusal thrown from one undoes
 *     only it, as alone; the usual authorize, settle and void have none and cost no savepoint. A call that
 *     ends with its value or with its answer (an {@code ApiException}: 402, 404, 409 ...) keeps what it wrote,
 *     as its autocommit statements would have. Any other ending <em>rolls the whole round back</em>, because
 *     nothing narrower can be undone: a database failure outside an inner transaction (a duplicate key from
 *     a concurrent call on another instance, a deadlock, a lock wait past the batch's bound, a statement
 *     that aborted the transaction), or a call that left the batch rollback-only (a failure through a
 *     participating method). That call is then <em>run again alone</em> after the batch — the one-at-a-time
 *     path, so its answer is the one it would have had arriving a moment later — except two whose answer
 *     stands: a statement past its bound (its 503, {@link DatabaseUnavailable}) and an answer that left the
 *     batch rollback-only. The batch's other calls run again in a next round (all
 *     the money path's calls are keyed by their turn id, and nothing of a rolled-back round is seen by
 *     anyone). After {@value #MAX_ROUNDS} rounds the calls left all run alone. A savepoint per call cost two
 *     round trips, more than the commit a batch saves (bench/README.md "Group commit"); a rolled-back round
 *     costs its calls again, but only calls that fail in the database do that;</li>
 * <li>ONE commit; every caller is answered only after it. A batch whose commit fails because the connection
 *     or the database is gone answers every one of its callers with that failure (503 as today) and
 *     acknowledges nothing; a commit refused otherwise (it rolled back) sends each call alone.</li>
 * </ul>
 * Two calls on the same turn id in one batch see each other's writes (one transaction), so the second is
 * answered as a replay or conflict, as it would be after the first alone. Correctness stays in the
 * database: several instances each batch their own calls. {@code synchronous_commit} is untouched.
 *
 * <p>A row locked elsewhere (a stuck transaction, an operator's session, another instance's batch) must not
 * stall the calls of other accounts (head-of-line blocking), two ways:
 * <ul>
 * <li>inside a batch, a lock is waited for at most {@code credits.turns.batch.lock-timeout} (100 ms,
 *     {@code SET LOCAL lock_timeout}) instead of the sessions' 2 s; a call that times out there rolls its
 *     round back and is run again alone after the batch (with the 2 s bound, so its answer is a
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
 * ({@code StalledDatabaseBatchedTest}: the stalled-database test with batching on; {@code GroupCommitRulesTest}: the
 * routing and a round rolled back; {@code GroupCommitApiTest}: batches answer as one call at a time.)
 *
 * <p>The size of every batch (1 for a call run at once or alone again) is the distribution summary
 * {@code credits.turns.batch.size}.
 */
@Component
public class GroupCommit {
    /**
     * {@code credits.turns.batch.*}.
     *
     * @param enabled true (the default since it runs without a savepoint per call and routes by account:
     *        bench/README.md "Group commit without savepoints"); false: every call runs at once, one at a
     *        time, the path without group commit
     * @param maxSize the most calls one batch takes
     * @param inFlight how many calls or batches run at once (each on its own connection); a call that finds
     *        fewer in flight runs at once, the others queue for the next batch
     * @param maxWait the longest a queued call waits for a place in flight before the oldest queued calls
     *        start a batch anyway
     * @param lockTimeout the longest a call inside a batch waits for a lock before it is run again alone
     */
    @ConfigurationProperties("credits.turns.batch")
    public record Settings(@DefaultValue("true") boolean enabled, @DefaultValue("32") int maxSize,
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

    /** Rounds of one batch before its remaining calls all run alone (each round that rolls back drops a call). */
    private static final int MAX_ROUNDS = 3;

    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final Settings settings;
    private final DistributionSummary sizes;
    private final Counter overdue;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry<?>> queue = new ArrayDeque<>();
    /** The accounts of the batches in flight (a batch's calls' keys); the queue's lock guards it. */
    private final Set<String> busy = new HashSet<>();
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

    /**
     * The transactions a money-path call opens inside its own code: {@code NESTED}, so that inside a batch
     * such an inner transaction is a savepoint of the batch's (a refusal thrown from it, a 404 or 409 found
     * under the turn's lock, undoes only that inner transaction, as alone it would) and the batch's round goes
     * on; outside a batch it is an ordinary transaction of its own, as before. Only the calls that open one
     * pay for the savepoint: the usual authorize, settle and void are single statements without it.
     */
    public static TransactionTemplate nested(TransactionTemplate template) {
        TransactionTemplate nested = new TransactionTemplate(template.getTransactionManager(), template);
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        return nested;
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
                handOff(null);
            }
        }
        List<Entry<?>> toLead = awaitLead(entry);
        if (toLead != null) {
            try {
                runBatch(toLead);
            } finally {
                handOff(toLead);
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
                batch = takeBatch();
                if (batch.isEmpty()) {
                    batch = null; // every queued call's account is in a batch in flight: that one hands off
                } else {
                    inFlight++; // this batch's leader hands off (or gives the place back) when it ends
                }
            }
        } finally {
            lock.unlock();
        }
        if (batch != null) {
            overdue.increment();
            batch.get(0).lead.complete(batch);
        }
    }

    /**
     * The next batch to the first call queued that can go (it takes this one's place in flight), or one fewer
     * in flight; {@code finished} (the batch that just ended, or null for a call run alone) gives its accounts
     * back first.
     */
    private void handOff(List<Entry<?>> finished) {
        List<Entry<?>> batch;
        lock.lock();
        try {
            if (finished != null) {
                finished.forEach(entry -> busy.remove(entry.key));
            }
            batch = takeBatch();
            if (batch.isEmpty()) {
                inFlight--;
                return;
            }
        } finally {
            lock.unlock();
        }
        batch.get(0).lead.complete(batch);
    }

    /**
     * The queue's first calls, at most max-size, <em>routed by account</em>: a call whose account is in a batch
     * in flight stays queued for a later batch, so that two batches never wait on each other for one account's
     * row (one hot account: its calls go one batch after another, each taking the row once). The batch that
     * holds the account hands off when it ends, and takes them. The queue's lock is held.
     */
    private List<Entry<?>> takeBatch() {
        List<Entry<?>> batch = new ArrayList<>(Math.min(queue.size(), settings.maxSize()));
        Set<String> taken = new HashSet<>();
        for (Iterator<Entry<?>> it = queue.iterator(); it.hasNext() && batch.size() < settings.maxSize(); ) {
            Entry<?> entry = it.next();
            if (entry.key == null || taken.contains(entry.key) || !busy.contains(entry.key)) {
                it.remove();
                batch.add(entry);
                if (entry.key != null) {
                    taken.add(entry.key);
                }
            }
        }
        busy.addAll(taken);
        return batch;
    }

    private void runBatch(List<Entry<?>> batch) {
        sizes.record(batch.size());
        List<Entry<?>> pending = new ArrayList<>(batch);
        pending.sort(Comparator.comparing((Entry<?> e) -> e.key, Comparator.nullsFirst(Comparator.naturalOrder())));
        Set<String> blocked = new HashSet<>(); // accounts a call of this batch timed out waiting for
        for (int round = 1; !pending.isEmpty(); round++) {
            if (round > MAX_ROUNDS) {
                pending.forEach(entry -> entry.outcome = Again.INSTANCE);
                break;
            }
            List<Entry<?>> run = pending;
            Entry<?>[] stopped = new Entry<?>[1]; // the call that made this round roll back, if one did
            try {
                tx.executeWithoutResult(status -> {
                    jdbc.sql("select set_config('lock_timeout', :t, true)")
                            .param("t", settings.lockTimeout().toMillis() + "ms").query(String.class).single();
                    for (Entry<?> entry : run) {
                        if (entry.key != null && blocked.contains(entry.key)) {
                            entry.outcome = Again.INSTANCE; // its row is locked elsewhere: wait for it alone
                            continue;
                        }
                        if (!runInBatch(status, entry, blocked)) {
                            stopped[0] = entry;
                            status.setRollbackOnly(); // the whole round is undone, without an exception
                            return;
                        }
                    }
                });
            } catch (RuntimeException | Error whole) {
                Outcome each = DatabaseUnavailable.classify(whole) == DatabaseUnavailable.Kind.UNAVAILABLE
                        ? new Failed(whole) // the connection or the database is gone: nothing is acknowledged
                        : Again.INSTANCE; // refused as a whole (a commit that rolled back): each call alone
                run.forEach(entry -> entry.outcome = each);
                break;
            }
            if (stopped[0] == null) {
                break; // committed: every call of the round has its answer
            }
            // Rolled back: the call that stopped it keeps its outcome (alone again, or its 503); the others,
            // even those already answered in this round, run again in the next round.
            Entry<?> culprit = stopped[0];
            pending = new ArrayList<>();
            for (Entry<?> entry : run) {
                if (entry != culprit && entry.outcome != Again.INSTANCE) {
                    entry.outcome = null;
                    pending.add(entry);
                }
            }
        }
        for (Entry<?> entry : batch) {
            if (entry != batch.get(0)) {
                entry.lead.complete(null);
            }
        }
    }

    /**
     * Runs one call inside the round's transaction, no savepoint: true when the round can go on (the call's
     * answer, a value or a refusal, is final once the round commits); false when the round must roll back
     * because of this call (its outcome is then set: run again alone, or the 503 of a bounded wait).
     */
    private static boolean runInBatch(TransactionStatus status, Entry<?> entry, Set<String> blocked) {
        try {
            Object value = entry.call.get();
            if (status.isRollbackOnly()) {
                entry.outcome = Again.INSTANCE; // it swallowed a failure of its own inner transaction
                return false;
            }
            entry.outcome = new Value(value);
            return true;
        } catch (RuntimeException failure) {
            if (isAnswer(failure)) {
                entry.outcome = new Failed(failure);
                // Outside an inner transaction: as an autocommit call, what it wrote before stays. From inside
                // one (it marked the batch rollback-only): the answer stands, the round is undone without it.
                return !status.isRollbackOnly();
            }
            if (DatabaseUnavailable.lockTimedOut(failure)) {
                // Past the batch's short lock wait: the row is held elsewhere. Run again alone after the
                // batch, with the sessions' own bound, so that the rest of the batch does not wait.
                if (entry.key != null) {
                    blocked.add(entry.key); // the batch's later calls on this account skip the wait
                }
                entry.outcome = Again.INSTANCE;
            } else if (DatabaseUnavailable.classify(failure) == DatabaseUnavailable.Kind.UNAVAILABLE) {
                entry.outcome = new Failed(failure); // a statement past its bound: that call's 503
            } else {
                entry.outcome = Again.INSTANCE; // a duplicate key, a deadlock ...: the one-at-a-time path
            }
            return false;
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
