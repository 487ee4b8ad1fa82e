-- The per-month index on ledger_entries.entry_key (V113) duplicated entry_keys_pkey (≈ 120 B a turn at
-- bench/scale's shape): every lookup of an entry by its key now reads entry_keys (entry_key → entry_id,
-- created_at) and then the entry by its whole primary key, which prunes to the entry's month (ledger Ledger,
-- GrantChecks, LedgerChecks, payments PaymentChecks, console). What still names ledger_entries.entry_key reads
-- it as a column of rows found otherwise (by account, by created_at, by reference) or scans every entry anyway
-- (the full reconciliation's joins, which hash). Dropping the partitioned index drops each month's.
drop index ledger_entries_entry_key_idx;
