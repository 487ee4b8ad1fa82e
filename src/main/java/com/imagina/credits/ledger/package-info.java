/**
 * The ledger: the books every other feature writes to through {@link com.imagina.credits.ledger.Ledger#post}.
 *
 * <h2>Guarantees</h2>
 * <ol>
 *   <li>An account's balance equals the sum of its ledger entries, always (the balance moves and the entry is
 *       appended in one statement).</li>
 *   <li>An account's held amount equals the sum of its open credit holds (authorized turns).</li>
 *   <li>Each entry records the balance after it, which equals the running sum of the account's entries.</li>
 *   <li>Entries are never updated or deleted (a database trigger refuses it); corrections are new entries.</li>
 *   <li>Every money move has a unique key ({@code entry_key}); applying the same move twice is impossible
 *       ({@code ledger_entries} is partitioned by month, V113: the unpartitioned {@code entry_keys}, written in
 *       the posting's own statement, keeps each key unique across months).
 *       Calls with a client-chosen id replay their first answer ({@link com.imagina.credits.ledger.Idempotency}).</li>
 *   <li>Money is {@code bigint}/{@code long} millicredits; no floating point on the money path.</li>
 * </ol>
 * {@link com.imagina.credits.ledger.Reconciliation} checks each guarantee against the stored data.
 */
package com.imagina.credits.ledger;
