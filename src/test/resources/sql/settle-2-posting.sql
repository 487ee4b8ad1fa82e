with guard as (select 1 from turns
 where turn_id = :turnId and created_at = :turnCreatedAt and status = 'authorized' and expires_at > :now
   and exists (select 1 from models where model_id = :modelId and price_version = :priceVersion)
   for update), locked as (
    select account_id, amount, case when cast(:bounded as boolean) then 0 - amount else :spend end as spend,
           :type in ('turn', 'free_turn', 'world_text', 'world_image') as spending
      from (select account_id,
                   case when cast(:bounded as boolean) then -greatest(0, least(0 - :amount,
                            balance_millicredits - held_millicredits + :released + :overdraft,
                            coalesce(daily_spend_limit_millicredits
                                     - case when spend_day = cast(:spendDay as date)
                                            then spent_on_spend_day_millicredits else 0 end
                                     - held_millicredits + :released, 0 - :amount)))
                        else :amount end as amount
              from accounts
             where account_id = :accountId and exists (select 1 from guard)
               for update) as account),
moved as (
    update accounts
       set balance_millicredits = balance_millicredits + locked.amount,
           held_millicredits = held_millicredits - :released,
           promo_millicredits = promo_millicredits + case
               when locked.spending
                   then -least(promo_millicredits, (0 - locked.amount))
               when :type in ('grant', 'expiry') then locked.amount
               else 0 end,
           earned_millicredits = earned_millicredits + case
               when locked.spending
                   then -least(earned_millicredits, greatest(0, (0 - locked.amount) - promo_millicredits))
               when :type = 'revenue_share' then locked.amount
               else 0 end,
           promo_unallocated_millicredits = promo_unallocated_millicredits + case
               when locked.spending
                   then least(promo_millicredits, (0 - locked.amount))
               else 0 end,
           last_spend_promo_millicredits = case
               when locked.spending
                   then least(promo_millicredits, (0 - locked.amount))
               else 0 end,
           spent_on_spend_day_millicredits = case
               when locked.spend = 0 then spent_on_spend_day_millicredits
               when spend_day = cast(:spendDay as date) then spent_on_spend_day_millicredits + locked.spend
               else locked.spend end,
           spend_day = case when locked.spend = 0 then spend_day else cast(:spendDay as date) end
      from locked
     where accounts.account_id = locked.account_id
 returning accounts.balance_millicredits, accounts.last_spend_promo_millicredits, locked.amount),
entry as (
    insert into ledger_entries (account_id, type, amount_millicredits, full_cost_millicredits,
           balance_after_millicredits, description, entry_key, turn_id, model_id, world_id,
           adjustment_id, reference, created_at)
    select :accountId, :type, moved.amount, :fullCost, moved.balance_millicredits, :description, :entryKey,
           :turnId, :modelId, :worldId, :adjustmentId, :reference, :createdAt
      from moved
 returning entry_id, account_id, type, amount_millicredits, full_cost_millicredits, balance_after_millicredits,
description, turn_id, model_id, world_id, adjustment_id, reference, created_at
), keyed as (
    insert into entry_keys (entry_key, entry_id, created_at)
    select :entryKey, entry.entry_id, entry.created_at from entry), closing as (update turns set status = 'settled', closed_at = :now, settle_seq = nextval('turn_settle_seq'),
       settle_hash = decode(:settleHash, 'hex'),
       settle_response = json_build_object('turnId', cast(:turnId as text), 'status', 'settled',
           'fundedBy', cast(:fundedBy as text), 'costMillicredits', cast(:cost as bigint),
           'chargedMillicredits', -entry.amount_millicredits,
           'uncollectedMillicredits', case when cast(:fundedBy as text) = 'free_turn' then 0
               else cast(:cost as bigint) + entry.amount_millicredits end,
           'balanceMillicredits', entry.balance_after_millicredits,
           'freeTurnsRemaining', cast(:freeLeft as int))::text,
       usage_raw = cast(:raw as jsonb), input_tokens = :input, cache_read_tokens = :cacheRead,
       cache_write_tokens = :cacheWrite, cache_write_1h_tokens = :cacheWrite1h,
       output_tokens = :output, images = :images, web_search_requests = :webSearch,
       price_snapshot = case when exists (select 1 from model_price_versions v
                                           where v.model_id = turns.model_id
                                             and v.price_version = :priceVersion
                                             and v.prices = cast(:prices as jsonb))
           then null else cast(:prices as jsonb) end,
       price_version = :priceVersion,
       credits_per_usd = :creditsPerUsd, cost_millicredits = :cost,
       charged_millicredits = -entry.amount_millicredits,
       uncollected_millicredits = case when cast(:fundedBy as text) = 'free_turn' then 0
           else cast(:cost as bigint) + entry.amount_millicredits end,
       charged_promotional_millicredits = moved.last_spend_promo_millicredits,
       revenue_share_base_millicredits = -entry.amount_millicredits - case
           when cast(:sharePromotional as boolean) then 0 else moved.last_spend_promo_millicredits end
  from entry, moved
 where turns.turn_id = :turnId and turns.created_at = :turnCreatedAt
returning turns.journey_id, turns.model_id, turns.created_at, turns.closed_at), journey as (
    update journeys
       set last_settled_model_id = closing.model_id, last_settled_created_at = closing.created_at,
           last_settled_at = closing.closed_at
      from closing
     where journeys.journey_id = :journeyId
       and (journeys.last_settled_created_at is null
            or (journeys.last_settled_created_at, journeys.last_settled_at)
               < (closing.created_at, closing.closed_at))) select entry_id, account_id, type, amount_millicredits, full_cost_millicredits, balance_after_millicredits,
description, turn_id, model_id, world_id, adjustment_id, reference, created_at
 from entry
