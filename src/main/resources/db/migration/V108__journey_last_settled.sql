-- The journey's last settled turn, kept on the journey row by the settlement's own statement
-- (turns/TurnStore.SETTLE_JOURNEY), so that an authorization decides its estimate phase (TurnStore.
-- ESTIMATE_PHASE_SQL: 'follow' when that turn was on the same model within the cache TTL) by one primary-key
-- read instead of a scan of the journey's settled turns. That scan was linear in the journey's length, and
-- without statistics (partitioned parents are never analyzed by autovacuum, and this machine runs without
-- autovacuum) it read every settled turn of the month through turns_settled_closed.
-- "Last" is the order the scan had: created_at, then closed_at.
alter table journeys
    add column last_settled_model_id text,
    add column last_settled_created_at timestamptz,
    add column last_settled_at timestamptz;

update journeys j
   set last_settled_model_id = l.model_id, last_settled_created_at = l.created_at, last_settled_at = l.closed_at
  from (select distinct on (journey_id) journey_id, model_id, created_at, closed_at
          from turns
         where status = 'settled' and journey_id is not null
         order by journey_id, created_at desc, closed_at desc) l
 where j.journey_id = l.journey_id;
