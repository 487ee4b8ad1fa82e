-- Accounts and a world for the SQL-alone replay (TurnSqlReplay, two-commits.pgbench), in the service's schema (set by
-- search_path). Each account is funded by an adjustment entry, so reconciliation still balances.
insert into worlds (world_id, owner_id, title, published, created_at, updated_at)
values ('sqlonly-w', 'sqlonly-owner', 'SQL-alone world', true, now(), now());
insert into accounts (account_id, balance_millicredits, created_at)
select 'sqlonly-' || g, 1000000000000000, now() from generate_series(0, :clients) g;
insert into ledger_entries (account_id, type, amount_millicredits, balance_after_millicredits, description,
       entry_key, adjustment_id, created_at)
select 'sqlonly-' || g, 'adjustment', 1000000000000000, 1000000000000000, 'SQL-alone seed',
       'adjustment:sqlonly-' || g, 'sqlonly-' || g, now() from generate_series(0, :clients) g;
-- Their keys too (V113: entry_keys keeps every entry key unique across the ledger's months).
insert into entry_keys (entry_key, entry_id, created_at)
select entry_key, entry_id, created_at from ledger_entries where entry_key like 'adjustment:sqlonly-%';
-- Each client's journey (the replay's turns use 'sqlonly-j-' || :a), claimed as the service claims it at a
-- journey's first turn (turns/TurnJourneys): the settlement keeps its last settled turn there (V108).
insert into journeys (journey_id, account_id, created_at)
select 'sqlonly-j-' || g, 'sqlonly-' || g, now() from generate_series(0, :clients) g;
