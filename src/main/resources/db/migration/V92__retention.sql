-- Retention: ledger entries are kept forever; a settled turn's stored replay answers (authorize and settle
-- responses) and its usage as sent (usage_raw) are kept for credits.retention.replay-days and then set to
-- null by the retention job. What explains and recomputes the cost stays on the turn for ever: the
-- normalized usage, the price snapshot and version, credits per USD, cost and charge, and the two request
-- hashes (a replay of a pruned turn with a different body is still an idempotency_conflict).
alter table turns alter column authorize_response drop not null;

-- How far the retention job has pruned (settled turns closed before this time); one row, locked by the run.
create table retention_state (
    id            int primary key check (id = 1),
    pruned_before timestamptz not null
);
insert into retention_state (id, pruned_before) values (1, '-infinity');
