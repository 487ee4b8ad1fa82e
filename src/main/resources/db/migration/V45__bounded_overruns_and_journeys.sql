-- Prepaid means prepaid: a settle collects at most the hold plus what the account has available (plus an
-- allowed overdraft) and stays within today's cap; what it could not collect is kept on the turn.
alter table turns add column uncollected_millicredits bigint not null default 0
    check (uncollected_millicredits >= 0);
-- The admin view of overruns and the books read only the turns that left something uncollected.
create index turns_uncollected on turns (closed_at) where uncollected_millicredits > 0;

-- A journey belongs to the account of its first turn; a turn of another account naming it is refused.
create table journeys (
    journey_id text primary key,
    account_id text not null references accounts (account_id),
    created_at timestamptz not null
);
insert into journeys (journey_id, account_id, created_at)
select distinct on (journey_id) journey_id, account_id, created_at
  from turns
 where journey_id is not null
 order by journey_id, created_at, turn_id;
