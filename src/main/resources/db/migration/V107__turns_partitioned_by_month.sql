-- Turns partitioned by month of created_at (issue #25), native declarative partitioning managed by the service
-- (turns/TurnPartitions creates the months ahead; an old month can be detached).
--
-- A partitioned table's unique indexes must contain the partition key, so the primary key becomes
-- (turn_id, created_at). turn_id must stay unique for ever, across months, or a replay of an old id would
-- authorize a second charge: turn_keys (unpartitioned, never detached, ~60 bytes a turn) holds every turn id
-- and is written in the authorization's own statement (TurnStore.authorize), so a taken id still fails the
-- whole statement with a unique violation, as the primary key did. Lookups by turn_id probe each month's
-- primary key (a few months attached: a few probes).
--
-- Months: one partition per month from the oldest turn's (at most 36 months back; older rows land in the
-- default) to two months ahead; turns_default takes whatever no month covers (a clock far off). No foreign
-- key references turns; its own foreign keys are carried over. Existing rows are moved by insert … select.
create table turn_keys (
    turn_id    text primary key,
    created_at timestamptz not null
);
insert into turn_keys (turn_id, created_at) select turn_id, created_at from turns;

alter table turns rename to turns_unpartitioned;
alter index turns_pkey rename to turns_unpartitioned_pkey;
create table turns (like turns_unpartitioned including defaults including constraints including storage)
    partition by range (created_at);

do $$
declare
    r record;
    indexes text[] := '{}';
    fkeys text[] := '{}';
    def text;
    m date;
    last_month date := (date_trunc('month', now() at time zone 'UTC') + interval '2 months')::date;
begin
    select greatest(date_trunc('month', coalesce(min(created_at), now()) at time zone 'UTC')::date,
                    (date_trunc('month', now() at time zone 'UTC') - interval '36 months')::date)
      into m from turns_unpartitioned;
    while m <= last_month loop
        execute format('create table %I partition of turns for values from (%L) to (%L)',
                       'turns_' || to_char(m, 'YYYY_MM'), m::timestamp at time zone 'UTC',
                       (m + interval '1 month')::timestamp at time zone 'UTC');
        m := (m + interval '1 month')::date;
    end loop;
    create table turns_default partition of turns default;

    for r in select indexdef from pg_indexes
              where schemaname = current_schema() and tablename = 'turns_unpartitioned'
                and indexname <> 'turns_unpartitioned_pkey' loop
        indexes := indexes || regexp_replace(r.indexdef, ' ON (\S+\.)?turns_unpartitioned ', ' ON turns ');
    end loop;
    for r in select conname, pg_get_constraintdef(oid) as def from pg_constraint
              where conrelid = 'turns_unpartitioned'::regclass and contype = 'f' loop
        fkeys := fkeys || format('alter table turns add constraint %I %s', r.conname, r.def);
    end loop;

    insert into turns select * from turns_unpartitioned;
    drop table turns_unpartitioned;

    alter table turns add constraint turns_pkey primary key (turn_id, created_at);
    foreach def in array indexes loop execute def; end loop;
    foreach def in array fkeys loop execute def; end loop;
end $$;
analyze turns;
