-- Reconciliation that scales: every check is one pass (group by + join) in full mode, and an incremental
-- mode checks only what changed since a watermark. BRIN indexes on the insertion times find "since"
-- rows for a few kilobytes (entries are insert-only, turns are inserted in time order); the payments'
-- checks find a session's purchase and refunds by reference instead of scanning every entry.

create index ledger_entries_created_brin on ledger_entries using brin (created_at);
create index turns_created_brin on turns using brin (created_at);
create index ledger_entries_payment_reference on ledger_entries (reference)
    where type in ('purchase', 'refund');

-- Where the scheduled incremental reconciliation left off, and what it found (exported as metrics by
-- every instance). One row; the run that writes it holds an advisory lock.
create table reconciliation_state (
    id               int primary key check (id = 1),
    checked_through  timestamptz not null,
    last_run_at      timestamptz not null,
    last_mode        text not null check (last_mode in ('full', 'incremental')),
    last_ok          boolean not null,
    last_violations  bigint not null,
    last_millis      bigint not null
);
