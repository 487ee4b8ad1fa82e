with closed as (
    update turns set status = 'voided', closed_at = :now
     where turn_id = :turnId
       and created_at = (select k.created_at from turn_keys k where k.turn_id = :turnId)
       and status = 'authorized' and expires_at > :now
 returning account_id, hold_millicredits, free_turn_day)
update accounts
   set held_millicredits = held_millicredits - closed.hold_millicredits,
       free_turns_used = case when free_turns_day = closed.free_turn_day
                              then greatest(0, free_turns_used - 1) else free_turns_used end
  from closed
 where accounts.account_id = closed.account_id
