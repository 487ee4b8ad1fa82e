-- bench/scale: N turns over 60 days in the service's schema (search_path), with SQL that keeps every ledger
-- invariant the reconciliation checks. psql variables: turns (N), accounts (50000), worlds (2000), days (60).
-- Shape: player p-1 plays 4 % of all turns, world w-1 gets 10 %; 1 % of turns are world_text by the world's
-- owner; 5 % are voided; a non-credits-only play of another player is a free turn 1 time in 20; worlds
-- w-N with N % 20 = 0 are unpublished. Every day but the last (yesterday, UTC) is paid out already, as the
-- nightly payout would have: one revenue_share entry and payout per (owner, world, day) group.
-- Rows have the shapes the service writes (answers as JSON text, usage as sent, the price snapshot).
\set ON_ERROR_STOP on
set synchronous_commit = off;
set work_mem = '256MB';
set maintenance_work_mem = '512MB';

\echo load: worlds and accounts
insert into accounts (account_id, balance_millicredits, created_at)
select 'p-' || g, 0, (now() at time zone 'UTC')::date::timestamp at time zone 'UTC' - make_interval(days => :days + 1)
  from generate_series(1, :accounts) g;
insert into worlds (world_id, owner_id, title, published, created_at, updated_at)
select 'w-' || w, 'p-' || ((w * 7919) % :accounts + 1), 'World number ' || w, w % 20 <> 0,
       (now() at time zone 'UTC')::date::timestamp at time zone 'UTC' - make_interval(days => :days + 1),
       (now() at time zone 'UTC')::date::timestamp at time zone 'UTC' - make_interval(days => :days + 1)
  from generate_series(1, :worlds) w;
insert into world_publication_changes (world_id, published, changed_at)
select world_id, published, created_at from worlds where world_id like 'w-%';

\echo load: generating :turns turns
create unlogged table scale_gen as
with base as (
    select g,
           (now() at time zone 'UTC')::date::timestamp at time zone 'UTC' - make_interval(days => :days)
             + (g - 1) * (make_interval(days => :days) - interval '10 seconds') / :turns as created_at,
           case when g % 10 = 1 then 1 else (g * 40503) % (:worlds - 1) + 2 end as w,
           (array['claude-sonnet-4-5','claude-haiku-4-5','claude-opus-4-1','gpt-5','gpt-5-mini','gemini-2-5-pro',
                  'gemini-2-5-flash','claude-sonnet-4-5'])[(g * 31) % 8 + 1] as model_id,
           case when g % 100 = 50 then 'world_text' else 'play' end as purpose,
           2000 + (g * 37) % 6000 as input_tokens, (g * 13) % 4000 as cache_read_tokens,
           100 + (g * 7) % 900 as output_tokens
      from generate_series(1::bigint, :turns) g
), shaped as (
    select b.*, wo.owner_id as world_owner_id, wo.published as world_published,
           case when b.purpose = 'world_text' then wo.owner_id
                when g % 25 = 0 then 'p-1'
                else 'p-' || ((g * 2654435761) % (:accounts - 1) + 2) end as account_id
      from base b join worlds wo on wo.world_id = 'w-' || b.w
)
select s.g, 't-' || s.g as turn_id, s.account_id, s.created_at, s.created_at + interval '2 seconds' as closed_at,
       'w-' || s.w as world_id, s.world_owner_id, s.world_published, s.model_id, m.name as model_name, m.prices,
       s.purpose,
       case when s.purpose = 'play' and not m.credits_only and s.account_id <> 'p-1' and s.g % 20 = 3
            then 'free_turn' else 'credits' end as funded_by,
       case when s.g % 20 = 7 then 'voided' else 'settled' end as status,
       'j-' || s.account_id || '-' || ((s.created_at at time zone 'UTC')::date - date '2000-01-01') as journey_id,
       s.input_tokens, s.cache_read_tokens, s.output_tokens,
       round((s.input_tokens * (m.prices->>'inputUsdPerMTok')::numeric
            + s.cache_read_tokens * (m.prices->>'cacheReadUsdPerMTok')::numeric
            + s.output_tokens * (m.prices->>'outputUsdPerMTok')::numeric) / 1000000 * 1000 * 1000)::bigint as cost
  from shaped s join models m on m.model_id = s.model_id;
alter table scale_gen add column charged bigint, add column day date, add column payout_id bigint;
update scale_gen set charged = case when funded_by = 'credits' then cost else 0 end,
                     day = (closed_at at time zone 'UTC')::date;
analyze scale_gen;

\echo load: payout groups of every day but the last
create unlogged table scale_payouts as
select row_number() over (order by day, world_id, world_owner_id) as payout_id, world_owner_id as owner_id, world_id, day,
       sum(charged) as charges, count(*) as n, round(sum(charged) * 20 / 100.0)::bigint as amount,
       'revenue_share:' || world_id || ':' || day || ':' || world_owner_id as entry_key
  from scale_gen
 where status = 'settled' and purpose = 'play' and funded_by = 'credits' and charged > 0 and world_published
   and account_id <> world_owner_id and day < (select max(day) from scale_gen)
 group by world_owner_id, world_id, day;
update scale_gen g set payout_id = p.payout_id from scale_payouts p
 where g.status = 'settled' and g.purpose = 'play' and g.funded_by = 'credits' and g.charged > 0 and g.world_published
   and g.account_id <> g.world_owner_id and p.owner_id = g.world_owner_id and p.world_id = g.world_id and p.day = g.day;

\echo load: ledger entries in time order, balance after = running sum per account
insert into ledger_entries (account_id, type, amount_millicredits, full_cost_millicredits, balance_after_millicredits,
       description, entry_key, turn_id, model_id, world_id, adjustment_id, reference, created_at)
select account_id, type, amount, full_cost,
       sum(amount) over (partition by account_id order by created_at, ord rows unbounded preceding),
       description, entry_key, turn_id, model_id, world_id, adjustment_id, reference, created_at
  from (select account_id, 'adjustment' as type,
               case when account_id = 'p-1' then 100000000000 else 10000000000 end as amount, null::bigint as full_cost,
               'Scale bench opening balance' as description, 'adjustment:seed-' || account_id as entry_key,
               null as turn_id, null as model_id, null as world_id, 'seed-' || account_id as adjustment_id,
               null as reference, created_at, 0::bigint as ord
          from accounts where account_id like 'p-%'
        union all
        select account_id, case when purpose = 'world_text' then 'world_text'
                                when funded_by = 'free_turn' then 'free_turn' else 'turn' end,
               -charged, cost,
               case when purpose = 'world_text' then 'World text on ' when funded_by = 'free_turn' then 'Free turn on '
                    else 'Turn on ' end || model_name,
               'turn:' || turn_id, turn_id, model_id, world_id, null, journey_id, closed_at, g
          from scale_gen where status = 'settled'
        union all
        select owner_id, 'revenue_share', amount, null,
               'Revenue share for "World number ' || substr(world_id, 3) || '" on ' || day || ': 20% of ' || n
                   || case when n = 1 then ' paid play' else ' paid plays' end || ' by other players',
               entry_key, null, null, world_id, null, null,
               (day + 1)::timestamp at time zone 'UTC' + interval '10 minutes', 0
          from scale_payouts where amount > 0) x
 order by created_at, ord, entry_key;

-- Every key also in entry_keys (V113: the keys' uniqueness across the months of ledger_entries).
insert into entry_keys (entry_key, entry_id, created_at) select entry_key, entry_id, created_at from ledger_entries;

insert into revenue_share_payouts (payout_id, owner_id, world_id, day, batch, charges_millicredits, charge_count,
       share_percent, amount_millicredits, ledger_entry_id, created_at)
overriding system value
select p.payout_id, p.owner_id, p.world_id, p.day, 1, p.charges, p.n, 20, p.amount, e.entry_id,
       (p.day + 1)::timestamp at time zone 'UTC' + interval '10 minutes'
  from scale_payouts p left join ledger_entries e on e.entry_key = p.entry_key and p.amount > 0;
select setval(pg_get_serial_sequence('revenue_share_payouts', 'payout_id'), (select max(payout_id) from revenue_share_payouts));

\echo load: turns
-- The months of the load get their partitions of turns first (V107; what TurnPartitions does ahead of time and
-- the migration does for the months of existing rows), so no loaded turn lands in turns_default.
do $$
declare m date;
begin
    for m in select generate_series(date_trunc('month', min(created_at) at time zone 'UTC'),
                                    date_trunc('month', max(created_at) at time zone 'UTC'), interval '1 month')::date
               from scale_gen loop
        execute format('create table if not exists %I partition of turns for values from (%L) to (%L)',
                       'turns_' || to_char(m, 'YYYY_MM'), m::timestamp at time zone 'UTC',
                       (m + interval '1 month')::timestamp at time zone 'UTC');
    end loop;
end $$;
insert into journeys (journey_id, account_id, created_at)
select journey_id, min(account_id), min(created_at) from scale_gen group by journey_id;
insert into turns (turn_id, account_id, journey_id, world_id, model_id, purpose, funded_by, status, hold_millicredits,
       free_turn_day, world_owner_id, world_published, max_output_tokens, expected_input_tokens, expected_images,
       request_hash, authorize_response, created_at, expires_at, closed_at, settle_hash, settle_response, usage_raw,
       input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, images,
       web_search_requests, price_snapshot, price_version, credits_per_usd, cost_millicredits, charged_millicredits,
       settle_seq, revenue_share_payout_id, uncollected_millicredits, charged_promotional_millicredits,
       revenue_share_base_millicredits)
select turn_id, account_id, journey_id, world_id, model_id, purpose, funded_by, status,
       case when funded_by = 'credits' then cost + 5000 else 0 end,
       case when funded_by = 'free_turn' then day end, world_owner_id, world_published, 1024, 6000, null,
       decode(md5(turn_id) || md5('a' || turn_id), 'hex'),
       '{"turnId" : "' || turn_id || '", "status" : "authorized", "fundedBy" : "' || funded_by
           || '", "holdMillicredits" : ' || case when funded_by = 'credits' then cost + 5000 else 0 end
           || ', "availableMillicredits" : 9876543210, "freeTurnsRemaining" : 4, "expiresAt" : "'
           || to_char(created_at at time zone 'UTC' + interval '10 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"}',
       created_at, created_at + interval '10 minutes', closed_at,
       case when status = 'settled' then decode(md5('s' || turn_id) || md5('t' || turn_id), 'hex') end,
       case when status = 'settled' then '{"turnId" : "' || turn_id || '", "status" : "settled", "fundedBy" : "'
           || funded_by || '", "costMillicredits" : ' || cost || ', "chargedMillicredits" : ' || charged
           || ', "uncollectedMillicredits" : 0, "balanceMillicredits" : 9876543210, "freeTurnsRemaining" : 4}'
           else '{"turnId" : "' || turn_id || '", "status" : "voided"}' end,
       case when status = 'settled' then jsonb_build_object('usage', jsonb_build_object('inputTokens', input_tokens,
           'cacheReadTokens', cache_read_tokens, 'cacheWriteTokens', 0, 'cacheWrite1hTokens', 0,
           'outputTokens', output_tokens, 'images', 0)) end,
       case when status = 'settled' then input_tokens end, case when status = 'settled' then cache_read_tokens end,
       case when status = 'settled' then 0 end, case when status = 'settled' then 0 end,
       case when status = 'settled' then output_tokens end, case when status = 'settled' then 0 end,
       case when status = 'settled' then 0 end,
       -- prices by reference (V105): inline only when they differ from the model's price-version row
       case when status = 'settled' and prices is distinct from (select v.prices from model_price_versions v
                  where v.model_id = scale_gen.model_id and v.price_version = 1) then prices end,
       case when status = 'settled' then 1 end,
       case when status = 'settled' then 1000 end,
       case when status = 'settled' then cost end, case when status = 'settled' then charged end,
       case when status = 'settled' then g end, payout_id, 0,
       case when status = 'settled' then 0 end,
       case when status = 'settled' then charged end
  from scale_gen order by g;
insert into turn_keys (turn_id, created_at) select turn_id, created_at from scale_gen;
select setval('turn_settle_seq', (select max(g) from scale_gen));

\echo load: account rows agree with their entries and turns
update accounts a set balance_millicredits = e.total
  from (select account_id, sum(amount_millicredits) as total from ledger_entries group by account_id) e
 where e.account_id = a.account_id and a.account_id like 'p-%';
update accounts a set spend_day = s.day, spent_on_spend_day_millicredits = s.spent
  from (select distinct on (account_id) account_id, day, sum(charged) as spent from scale_gen
         where status = 'settled' group by account_id, day order by account_id, day desc) s
 where s.account_id = a.account_id;
update accounts a set free_turns_day = f.day, free_turns_used = f.used
  from (select distinct on (account_id) account_id, day, count(*) as used from scale_gen
         where status = 'settled' and funded_by = 'free_turn' group by account_id, day order by account_id, day desc) f
 where f.account_id = a.account_id;

drop table scale_gen;
drop table scale_payouts;
\echo load: vacuum analyze
vacuum analyze;
