package com.imagina.credits.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.imagina.credits.support.ApiTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * ledger_entries is partitioned by month (V113): the job creates the months ahead, once however many runs go at
 * the same time; an entry lands in its month's partition with its key in entry_keys; a key taken in one month
 * fails a posting of it in another month as a duplicate, and nothing moves; entries and keys stay immutable. The
 * clock is not moved: the far month's posting is rolled back (or fails), so no other test sees an entry from the
 * future.
 */
class LedgerPartitionsTest extends ApiTest {
    @Autowired
    LedgerPartitions partitions;
    @Autowired
    Ledger ledger;
    @Autowired
    TransactionTemplate tx;

    @Test
    void monthsAheadAreCreatedOnce() {
        assertThat(partitions.ensure(LocalDate.parse("2049-07-15"), 2))
                .containsExactly("ledger_entries_2049_07", "ledger_entries_2049_08", "ledger_entries_2049_09");
        assertThat(partitions.ensure(LocalDate.parse("2049-07-15"), 2)).as("idempotent").isEmpty();
        assertThat(jdbc.sql("""
                select count(*) from pg_indexes
                 where schemaname = current_schema() and tablename = 'ledger_entries_2049_07'
                   and indexdef like '%(account_id, entry_id DESC)%'""")
                .query(Long.class).single()).as("a new month gets the parent's indexes").isEqualTo(1);
        // V114: entries are found by key through entry_keys; no month keeps an index of its own on the key.
        assertThat(jdbc.sql("""
                select count(*) from pg_indexes
                 where schemaname = current_schema() and tablename like 'ledger_entries%'
                   and indexdef like '%(entry_key)%'""")
                .query(Long.class).single()).as("no per-month entry_key index").isZero();
    }

    @Test
    void concurrentRunsCreateEachMonthOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            Callable<List<String>> run = () -> partitions.ensure(LocalDate.parse("2050-01-10"), 2);
            for (int i = 0; i < 4; i++) runs.add(pool.submit(run));
            List<String> made = new ArrayList<>();
            for (Future<List<String>> f : runs) made.addAll(f.get());
            assertThat(made).containsExactlyInAnyOrder(
                    "ledger_entries_2050_01", "ledger_entries_2050_02", "ledger_entries_2050_03");
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("""
                select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid
                 where i.inhparent = 'ledger_entries'::regclass and c.relname like 'ledger_entries_2050_%'""")
                .query(Long.class).single()).isEqualTo(3);
        assertThat(LocalDate.now(ZoneOffset.UTC)).isBefore(LocalDate.parse("2049-07-01"));
    }

    @Test
    void anEntryLandsInItsMonthAndItsKeyIsTakenOnceAcrossMonths() {
        partitions.ensureAhead();
        partitions.ensure(LocalDate.parse("2049-11-01"), 1);
        String account = id("lpart");
        adjust(account, 5_000_000);
        var first = jdbc.sql("""
                select entry_id, entry_key, to_char(created_at at time zone 'UTC', 'YYYY_MM') as month,
                       tableoid::regclass::text as partition
                  from ledger_entries where account_id = :a""").param("a", account).query().singleRow();
        String month = (String) first.get("month");
        // Its month's partition, unless the (adjustable, shared) clock is in a month whose rows other tests left in
        // ledger_entries_default before it existed: then PostgreSQL refuses the month and the entry stays there.
        boolean monthExists = jdbc.sql("""
                select exists (select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
                                where i.inhparent = 'ledger_entries'::regclass and c.relname = :name)""")
                .param("name", "ledger_entries_" + month).query(Boolean.class).single();
        assertThat(first.get("partition")).isEqualTo(monthExists ? "ledger_entries_" + month : "ledger_entries_default");
        String key = (String) first.get("entry_key");
        assertThat(jdbc.sql("select entry_id from entry_keys where entry_key = :k").param("k", key)
                .query(Long.class).single()).isEqualTo(((Number) first.get("entry_id")).longValue());

        // The same key, posted in another month (another partition, so no index of ledger_entries would see it).
        String adjustmentId = key.substring("adjustment:".length());
        Instant farMonth = Instant.parse("2049-11-10T12:00:00Z");
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> ledger.post(
                Posting.adjustment(account, 1_000, "the same move again", adjustmentId, farMonth))))
                .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("entry_keys_pkey");
        assertThat(balance(account)).as("nothing moved").isEqualTo(5_000_000);
        assertThat(jdbc.sql("select count(*) from ledger_entries where account_id = :a").param("a", account)
                .query(Long.class).single()).isEqualTo(1);

        // A new key in that month lands in that month's partition, key and all (rolled back: no entry from the future).
        tx.executeWithoutResult(s -> {
            LedgerEntry e = ledger.post(Posting.adjustment(account, 1_000, "far month", id("adj"), farMonth));
            assertThat(jdbc.sql("select tableoid::regclass::text from ledger_entries where entry_id = :id")
                    .param("id", e.id()).query(String.class).single()).isEqualTo("ledger_entries_2049_11");
            assertThat(jdbc.sql("select created_at = :at from entry_keys where entry_id = :id")
                    .param("id", e.id()).param("at", java.sql.Timestamp.from(farMonth)).query(Boolean.class).single())
                    .isTrue();
            assertThat(e.id()).as("ids keep increasing across months")
                    .isGreaterThan(((Number) first.get("entry_id")).longValue());
            s.setRollbackOnly();
        });
        assertThat(balance(account)).isEqualTo(5_000_000);
        assertReconciled();
    }

    /**
     * A run that waits for {@code accounts} (a money move holds it) holds nothing a posting then waits for: the
     * posting goes through at once, no deadlock (before the run locked the referenced tables first, {@code
     * create table … partition of} held {@code ledger_entries} in access exclusive mode while it waited).
     */
    @Test
    void aRunWaitingForAccountsHoldsNothingAPostingNeeds() throws Exception {
        String account = id("llock");
        adjust(account, 10_000);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            tx.executeWithoutResult(s -> {
                // A money move's first step: the account row updated, no entry yet.
                jdbc.sql("update accounts set held_millicredits = held_millicredits where account_id = :a")
                        .param("a", account).update();
                Future<List<String>> run = pool.submit(() -> partitions.ensure(LocalDate.parse("2051-03-01"), 0));
                Integer waiting = null;
                for (long end = System.nanoTime() + 5_000_000_000L; waiting == null && !run.isDone()
                        && System.nanoTime() < end; ) {
                    waiting = jdbc.sql("""
                            select pid from pg_locks where relation = 'accounts'::regclass and not granted
                               and mode = 'ShareRowExclusiveLock'""").query(Integer.class).optional().orElse(null);
                }
                assertThat(waiting).as("the run waits for accounts").isNotNull();
                assertThat(jdbc.sql("""
                        select count(*) from pg_locks where pid = :pid and granted
                           and relation in (select 'ledger_entries'::regclass union all
                                            select inhrelid from pg_inherits where inhparent = 'ledger_entries'::regclass)
                           and mode not in ('AccessShareLock', 'ShareUpdateExclusiveLock')""")
                        .param("pid", waiting).query(Long.class).single())
                        .as("locks the waiting run holds on ledger_entries that conflict with a posting's").isZero();
                LedgerEntry e = ledger.post(Posting.adjustment(account, 1_000, "while a run waits", id("adj"),
                        java.time.Instant.now()));
                assertThat(e.balanceAfterMillicredits()).isEqualTo(11_000);
                s.setRollbackOnly();
            });
        } finally {
            pool.shutdown();
        }
        partitions.ensure(LocalDate.parse("2051-03-01"), 0);
        assertThat(jdbc.sql("""
                select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid
                 where i.inhparent = 'ledger_entries'::regclass and c.relname = 'ledger_entries_2051_03'""")
                .query(Long.class).single()).as("made by the run or the next").isEqualTo(1);
        assertThat(balance(account)).isEqualTo(10_000);
    }

    /** An entry written without its key (not through the posting) is a violation of entry_key_is_kept. */
    @Test
    void anEntryWithoutItsKeyIsReported() {
        String account = id("lkey");
        adjust(account, 1_000);
        Reconciliation.Check check = LedgerChecks.CORE.stream().filter(c -> c.name().equals("entry_key_is_kept"))
                .findFirst().orElseThrow();
        tx.executeWithoutResult(s -> {
            assertThat(jdbc.sql(check.violationsSql()).query(Long.class).single()).isZero();
            jdbc.sql("""
                    insert into ledger_entries (account_id, type, amount_millicredits, balance_after_millicredits,
                           description, entry_key, created_at)
                    values (:a, 'adjustment', 0, 1000, 'no key', :k, now())""")
                    .param("a", account).param("k", "adjustment:" + id("nokey")).update();
            assertThat(jdbc.sql(check.violationsSql()).query(Long.class).single()).isEqualTo(1);
            assertThat(jdbc.sql(check.sinceSql()).param("since", java.sql.Timestamp.from(Instant.now().minusSeconds(60)))
                    .query(Long.class).single()).isEqualTo(1);
            s.setRollbackOnly();
        });
    }

    @Test
    void entriesAndTheirKeysStayImmutable() {
        String account = id("limm");
        adjust(account, 1_000);
        long entryId = jdbc.sql("select entry_id from ledger_entries where account_id = :a").param("a", account)
                .query(Long.class).single();
        assertThatThrownBy(() -> jdbc.sql("update ledger_entries set description = 'edited' where entry_id = :id")
                .param("id", entryId).update()).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("ledger entries are immutable");
        assertThatThrownBy(() -> jdbc.sql("delete from entry_keys where entry_id = :id").param("id", entryId).update())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("entry keys are immutable");
    }
}
