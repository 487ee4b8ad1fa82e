select m.model_id, m.name, m.provider, m.tier, m.credits_only, m.is_default, m.prices, m.cache_ttl_seconds, m.price_version, w.world_id, w.owner_id, w.title, w.published, w.created_at, w.updated_at
     , t.request_hash, t.authorize_response, j.account_id as journey_owner,
     exists (select 1 from accounts a where a.account_id = :accountId) as account_exists,
     (exists (select 1 from turns o where o.account_id = :accountId and o.status = 'authorized'
                 and o.expires_at <= :now)
      or exists (select 1 from credit_grants g where g.account_id = :accountId and g.expired_at is null
                    and g.expires_at <= :now)) as has_overdue
from (select 1) as one
left join models m on m.model_id = :modelId
left join worlds w on w.world_id = :worldId
left join turns t on t.turn_id = :turnId
left join journeys j on j.journey_id = :journeyId
