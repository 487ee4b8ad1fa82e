-- Ledger entries partitioned by month of created_at (issue #25), like turns (V107): ledger/LedgerPartitions
-- creates the months ahead; an old month can be detached once a checkpoint carries its balances (README "Data
-- that grows").
--
-- A partitioned table's unique indexes must contain the partition key, so the primary key becomes
-- (entry_id, created_at); entry_id stays an identity column of the parent, one sequence for every month, so ids
-- stay globally increasing (the history cursor, the running-sum check order by it).
--
-- entry_key (every money move's idempotency key) must stay unique for ever, across months, or the same move
-- could be applied twice: entry_keys (unpartitioned, never detached) holds every key with the entry it belongs
-- to and is written in the posting's own statement (ledger/Ledger.MOVE_AND_APPEND), so a taken key still fails
-- the whole statement with a unique violation (23505, Spring's DuplicateKeyException), as the unique index did.
-- ledger_entries keeps a plain index on entry_key per month for the lookups by key (checks, books, console).
--
-- revenue_share_payouts.ledger_entry_id loses its foreign key (V30): a foreign key to a partitioned table must
-- name (entry_id, created_at), and it would forbid detaching any month holding a payout's entry (PostgreSQL
-- refuses to detach a referenced partition). The link stays unique, and the reconciliation check
-- revenue_share_payout_has_its_entry (payouts/PayoutChecks) already proves each payout's entry exists with
-- its owner, world and amount; entry_keys keeps the payout's entry id even after its month is detached.
--
-- Months: one partition per month from the oldest entry's (at most 36 months back; older rows land in the
-- default) to two months ahead; ledger_entries_default takes whatever no month covers. Existing rows are
-- moved by insert … select, keeping their ids; the identity continues after the largest.
alter table revenue_share_payouts drop constraint revenue_share_payouts_ledger_entry_id_fkey;

create table entry_keys (
    entry_key  text primary key,
    entry_id   bigint not null,
    created_at timestamptz not null
);
insert into entry_keys (entry_key, entry_id, created_at) select entry_key, entry_id, created_at from ledger_entries;

alter table ledger_entries rename to ledger_entries_unpartitioned;
alter index ledger_entries_pkey rename to ledger_entries_unpartitioned_pkey;
alter table ledger_entries_unpartitioned rename constraint ledger_entries_type_check
    to ledger_entries_unpartitioned_type_check;
alter table ledger_entries_unpartitioned rename constraint ledger_entries_account_id_fkey
    to ledger_entries_unpartitioned_account_id_fkey;
drop trigger ledger_entries_immutable on ledger_entries_unpartitioned;

create table ledger_entries (
    entry_id                   bigint generated always as identity,
    account_id                 text not null,
    type                       text not null,
    amount_millicredits        bigint not null,
    full_cost_millicredits     bigint,
    balance_after_millicredits bigint not null,
    description                text not null,
    -- Every money move has a unique key: entry_keys keeps it unique across months.
    entry_key                  text not null,
    turn_id                    text,
    model_id                   text,
    world_id                   text,
    adjustment_id              text,
    reference                  text,
    created_at                 timestamptz not null,
    constraint ledger_entries_pkey primary key (entry_id, created_at),
    constraint ledger_entries_account_id_fkey foreign key (account_id) references accounts (account_id)
) partition by range (created_at);

do $$
declare
    r record;
    indexes text[] := '{}';
    def text;
    m date;
    last_month date := (date_trunc('month', now() at time zone 'UTC') + interval '2 months')::date;
begin
    -- The column set must be the one V1…V93 left: a column added since would be lost by the copy below.
    if (select array_agg(attname::text order by attnum) from pg_attribute
         where attrelid = 'ledger_entries_unpartitioned'::regclass and attnum > 0 and not attisdropped)
       <> (select array_agg(attname::text order by attnum) from pg_attribute
            where attrelid = 'ledger_entries'::regclass and attnum > 0 and not attisdropped) then
        raise exception 'ledger_entries columns changed since V113 was written';
    end if;
    -- The type check as it stands (V60 and later widened it), carried over by its definition.
    execute format('alter table ledger_entries add constraint ledger_entries_type_check %s',
                   (select pg_get_constraintdef(oid) from pg_constraint
                     where conrelid = 'ledger_entries_unpartitioned'::regclass
                       and conname = 'ledger_entries_unpartitioned_type_check'));

    select greatest(date_trunc('month', coalesce(min(created_at), now()) at time zone 'UTC')::date,
                    (date_trunc('month', now() at time zone 'UTC') - interval '36 months')::date)
      into m from ledger_entries_unpartitioned;
    while m <= last_month loop
        execute format('create table %I partition of ledger_entries for values from (%L) to (%L)',
                       'ledger_entries_' || to_char(m, 'YYYY_MM'), m::timestamp at time zone 'UTC',
                       (m + interval '1 month')::timestamp at time zone 'UTC');
        m := (m + interval '1 month')::date;
    end loop;
    create table ledger_entries_default partition of ledger_entries default;

    for r in select indexdef from pg_indexes
              where schemaname = current_schema() and tablename = 'ledger_entries_unpartitioned'
                and indexname not in ('ledger_entries_unpartitioned_pkey', 'ledger_entries_entry_key_key') loop
        indexes := indexes || regexp_replace(r.indexdef, ' ON (\S+\.)?ledger_entries_unpartitioned ', ' ON ledger_entries ');
    end loop;

    insert into ledger_entries overriding system value select * from ledger_entries_unpartitioned;
    perform setval(pg_get_serial_sequence('ledger_entries', 'entry_id'),
                   coalesce((select max(entry_id) from ledger_entries_unpartitioned), 0) + 1, false);
    drop table ledger_entries_unpartitioned;
    execute format('alter sequence %s rename to ledger_entries_entry_id_seq',
                   pg_get_serial_sequence('ledger_entries', 'entry_id'));

    foreach def in array indexes loop execute def; end loop;
end $$;
create index ledger_entries_entry_key_idx on ledger_entries (entry_key);

-- Entries are never updated or deleted (V1's function, now on the partitioned table and so on every month).
create trigger ledger_entries_immutable before update or delete on ledger_entries
    for each row execute function ledger_entries_are_immutable();
-- Nor are their keys.
create function entry_keys_are_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'entry keys are immutable (% on key %)', tg_op, old.entry_key;
end $$;
create trigger entry_keys_immutable before update or delete on entry_keys
    for each row execute function entry_keys_are_immutable();
analyze ledger_entries;
analyze entry_keys;
