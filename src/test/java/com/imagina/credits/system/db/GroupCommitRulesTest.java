package com.imagina.credits.system.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.imagina.credits.support.ApiTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The batcher's own rules, driven with the real batcher (its transactions on the real database) and calls that
 * are the test's own code. Batches are routed by account ({@link GroupCommit}): while a batch holding account A is in flight, a queued
 * call on A stays queued and the next batch takes only the other accounts' calls; when A's batch ends it takes
 * A's call. Driven with the real batcher (its transactions on the real database), the calls being the test's
 * own code that waits on latches, so what runs when is known. {@code max-wait} is an hour: no overdue start.
 */
@TestPropertySource(properties = {"credits.turns.batch.enabled=true", "credits.turns.batch.in-flight=2",
        "credits.turns.batch.max-wait=1h"})
@DirtiesContext // its own batcher settings: closed after it
class GroupCommitRulesTest extends ApiTest {
    @Autowired
    GroupCommit groupCommit;

    @Test
    void aQueuedCallOnAnAccountInFlightWaitsForThatBatch() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch releaseFirst = new CountDownLatch(1);
            CountDownLatch releaseSecond = new CountDownLatch(1);
            Future<String> first = pool.submit(() -> groupCommit.run(() -> null, blocking(holding, releaseFirst, "x")));
            Future<String> second = pool.submit(() -> groupCommit.run(() -> null, blocking(holding, releaseSecond, "y")));
            assertThat(holding.await(10, TimeUnit.SECONDS)).as("both places in flight taken").isTrue();

            // A batch holding account A, kept in flight by its call.
            CountDownLatch aRunning = new CountDownLatch(1);
            CountDownLatch releaseA = new CountDownLatch(1);
            Future<String> a1 = pool.submit(() -> groupCommit.run(() -> "A", blocking(aRunning, releaseA, "a1")));
            waitForQueued(1);
            releaseFirst.countDown(); // its place goes to the queue: the batch {a1}
            assertThat(aRunning.await(10, TimeUnit.SECONDS)).as("A's batch runs").isTrue();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("x");

            // Queued now: another call on A and one on C. The second place frees: only C's call may go.
            List<String> ran = new CopyOnWriteArrayList<>();
            Future<String> a2 = pool.submit(() -> groupCommit.run(() -> "A", recording(ran, "a2")));
            waitForQueued(1);
            Future<String> c1 = pool.submit(() -> groupCommit.run(() -> "C", recording(ran, "c1")));
            waitForQueued(2);
            releaseSecond.countDown();
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("y");
            assertThat(c1.get(10, TimeUnit.SECONDS)).isEqualTo("c1");
            assertThat(ran).as("C's call went, A's did not: A is in a batch in flight").containsExactly("c1");
            assertThat(groupCommit.queued()).as("A's second call still queued").isEqualTo(1);

            releaseA.countDown(); // A's batch ends and hands off to A's queued call
            assertThat(a1.get(10, TimeUnit.SECONDS)).isEqualTo("a1");
            assertThat(a2.get(10, TimeUnit.SECONDS)).isEqualTo("a2");
            assertThat(ran).containsExactly("c1", "a2");
            assertThat(groupCommit.queued()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * No savepoint per call: a call that fails in the database (here a duplicate key) rolls its round back; it
     * runs again alone after the batch (and answers as it would alone), and the round's other calls run again
     * in a next round, so each of their writes is made once.
     */
    @Test
    void aDatabaseFailureRollsTheRoundBackAndTheOthersRunAgain() throws Exception {
        String table = "gc_probe_" + Long.toString(System.nanoTime(), 36);
        jdbc.sql("create table " + table + " (k text primary key)").update();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<String>> blockers = List.of(
                    pool.submit(() -> groupCommit.run(() -> null, blocking(holding, release, "x"))),
                    pool.submit(() -> groupCommit.run(() -> null, blocking(holding, release, "y"))));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicInteger firstRuns = new AtomicInteger();
            Future<String> first = pool.submit(() -> groupCommit.run(() -> null, () -> {
                firstRuns.incrementAndGet();
                return insert(table, "k1");
            }));
            waitForQueued(1);
            Future<String> duplicate = pool.submit(() -> groupCommit.run(() -> null, () -> insert(table, "k1")));
            waitForQueued(2);
            Future<String> third = pool.submit(() -> groupCommit.run(() -> null, () -> insert(table, "k3")));
            waitForQueued(3);
            release.countDown(); // one batch of the three, in their queued order
            for (Future<String> b : blockers) b.get(10, TimeUnit.SECONDS);

            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("k1");
            assertThat(third.get(30, TimeUnit.SECONDS)).isEqualTo("k3");
            assertThat(catchThrowable(() -> duplicate.get(30, TimeUnit.SECONDS)))
                    .as("alone, the duplicate answers as it would have alone")
                    .hasCauseInstanceOf(DuplicateKeyException.class);
            assertThat(firstRuns.get()).as("the first call ran in the rolled-back round and again in the next").isEqualTo(2);
            assertThat(jdbc.sql("select string_agg(k, ',' order by k) from " + table).query(String.class).single())
                    .as("each write made once").isEqualTo("k1,k3");
        } finally {
            pool.shutdownNow();
            jdbc.sql("drop table " + table).update();
        }
    }

    private String insert(String table, String key) {
        jdbc.sql("insert into " + table + " (k) values (:k)").param("k", key).update();
        return key;
    }

    private static Supplier<String> blocking(CountDownLatch started, CountDownLatch release, String answer) {
        return () -> {
            started.countDown();
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer;
        };
    }

    private static Supplier<String> recording(List<String> ran, String answer) {
        return () -> {
            ran.add(answer);
            return answer;
        };
    }

    private void waitForQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (groupCommit.queued() < n) {
            assertThat(System.nanoTime()).as("call %d never queued", n).isLessThan(deadline);
            Thread.sleep(1); // polling the queue's length, not standing in for it
        }
    }
}
