-- World earnings read a rollup instead of every play turn of the world: one row per (world, UTC day) with the
-- day's eligible paid plays, distinct players and their sum, written once the day is over (a margin after
-- midnight, so every settle stamped that day has committed) by one instance at a time (the watermark row is
-- locked). Days after the watermark are read live from the turns (the per-world index), so a request costs
-- the world's days plus at most a day or two of its turns, never its whole history. What was paid and what
-- is still pending are read live from revenue_share_payouts and the unpaid-charges index: both are small.
create table world_earnings_days (
    world_id   text not null,
    day        date not null,
    paid_plays bigint not null,
    players    bigint not null,
    spend_millicredits bigint not null,
    primary key (world_id, day)
);
create table world_earnings_watermark (
    id          int primary key check (id = 1),
    -- Every day up to and including this one is in world_earnings_days (days without plays have no row).
    through_day date not null
);
insert into world_earnings_watermark (id, through_day) values (1, date '1969-12-31');
