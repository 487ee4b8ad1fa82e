with account as (update accounts
   set free_turns_used = case when free_turns_day = cast(:today as date) then free_turns_used + 1 else 1 end,
       free_turns_day = cast(:today as date)
 where account_id = :accountId
   and (free_turns_day is distinct from cast(:today as date) or free_turns_used < :allowance)
   and :allowance > 0
 returning balance_millicredits, held_millicredits, free_turns_day, free_turns_used),
key as (insert into turn_keys (turn_id, created_at) select :turnId, :createdAt from account
 returning turn_id)
insert into turns (turn_id, account_id, journey_id, world_id, model_id, purpose, funded_by, status,
       hold_millicredits, free_turn_day, world_owner_id, world_published, max_output_tokens,
       expected_input_tokens, expected_images, request_hash, authorize_response, created_at, expires_at,
       estimate_phase, estimate_millicredits, estimate_low_millicredits, estimate_high_millicredits,
       estimate_basis)
select :turnId, :accountId, :journeyId, :worldId, :modelId, :purpose, :fundedBy, 'authorized',
       :hold, :freeTurnDay, :owner, :published, :maxOut, :expectedIn, :expectedImages, decode(:hash, 'hex'),
       json_build_object('turnId', cast(:turnId as text), 'status', 'authorized',
           'fundedBy', cast(:fundedBy as text), 'holdMillicredits', cast(:hold as bigint),
           'availableMillicredits', account.balance_millicredits - account.held_millicredits,
           'freeTurnsRemaining',greatest(0, :allowance - case when account.free_turns_day = cast(:today as date)
                              then account.free_turns_used else 0 end)
           , 'expiresAt', cast(:expiresAtText as text))::text,
       :createdAt, :expiresAt,
       warmth.phase,
       case when warmth.phase = 'follow' then cast(:estFollow as bigint) else cast(:estFirst as bigint) end,
       cast(:estLow as bigint), cast(:estHigh as bigint), cast(:estBasis as text)
  from account, key,
(select case when cast(:estFirst as bigint) is null then null
            when exists (select 1 from journeys last
                          where last.journey_id = :journeyId
                            and last.last_settled_model_id = :modelId
                            and :createdAt <= last.last_settled_at
                                              + make_interval(secs => cast(:cacheTtl as int)))
            then 'follow' else 'first' end as phase
 offset 0) as warmth
returning authorize_response
