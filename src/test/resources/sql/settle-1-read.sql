select t.turn_id, t.account_id, t.journey_id, t.world_id, t.model_id, t.purpose, t.funded_by, t.status,
       t.hold_millicredits, t.free_turn_day, t.request_hash, t.authorize_response, t.created_at,
       t.expires_at, t.closed_at, t.settle_hash, t.settle_response,
       m.model_id, m.name, m.provider, m.tier, m.credits_only, m.is_default, m.prices, m.cache_ttl_seconds,
       m.price_version,
       a.account_id, a.balance_millicredits, a.held_millicredits, a.free_turns_day, a.free_turns_used,
       a.daily_spend_limit_millicredits, a.spend_day, a.spent_on_spend_day_millicredits
  from turns t join models m on m.model_id = t.model_id join accounts a on a.account_id = t.account_id
 where t.turn_id = :turnId
