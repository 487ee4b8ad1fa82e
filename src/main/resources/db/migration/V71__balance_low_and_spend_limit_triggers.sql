-- balance.low and spend_limit.reached, published by triggers on accounts: every statement that moves an
-- account's balance, hold or daily spend (the turn path's single statements included) publishes them in its
-- own transaction without any change to that statement. Each trigger has a WHEN clause over OLD and NEW only,
-- so for the usual update (available stays above the threshold, spend stays under the cap) no function runs.

-- The account's own low-balance threshold (PUT /api/v1/accounts/{id}/alerts); null: the global default.
alter table accounts add column low_balance_millicredits bigint check (low_balance_millicredits >= 0);

-- The global default threshold (credits.events.low-balance-default-millicredits, written at start; null: none).
create table alert_settings (
    id                       int primary key check (id = 1),
    low_balance_millicredits bigint check (low_balance_millicredits >= 0)
);
insert into alert_settings (id, low_balance_millicredits) values (1, null);

create function events_low_balance_default() returns bigint language sql stable as $$
    select low_balance_millicredits from alert_settings where id = 1
$$;

-- Whether balance.low is armed; no row: armed. It fires once per crossing and is re-armed only by a credit
-- (the balance going up) that leaves the available balance at or above the threshold — not by a hold being
-- released at settle or void, or a player hovering at the threshold would be told at every turn.
create table balance_alerts (
    account_id text primary key,
    armed      boolean not null,
    fired_at   timestamptz
);

create function events_balance_low() returns trigger language plpgsql as $$
declare
    v_threshold bigint := coalesce(new.low_balance_millicredits, events_low_balance_default());
    v_now       timestamptz := credits_service_now();
    v_disarmed  int;
begin
    -- Disarm, only if armed: two statements cannot both fire (the row lock of accounts orders them anyway).
    insert into balance_alerts as b (account_id, armed, fired_at) values (new.account_id, false, v_now)
        on conflict (account_id) do update set armed = false, fired_at = excluded.fired_at where b.armed;
    get diagnostics v_disarmed = row_count;
    if v_disarmed = 1 then
        perform events_append(new.account_id, 'balance.low', jsonb_build_object(
            'availableMillicredits', new.balance_millicredits - new.held_millicredits,
            'balanceMillicredits', new.balance_millicredits,
            'heldMillicredits', new.held_millicredits,
            'thresholdMillicredits', v_threshold), v_now, null);
    end if;
    return null;
end $$;

create function events_balance_rearm() returns trigger language plpgsql as $$
begin
    update balance_alerts set armed = true where account_id = new.account_id and not armed;
    return null;
end $$;

-- Fires when the available balance (balance − held) goes down from at or above the threshold to below it.
create trigger accounts_balance_low after update of balance_millicredits, held_millicredits on accounts
    for each row when (
        new.balance_millicredits - new.held_millicredits < old.balance_millicredits - old.held_millicredits
        and new.balance_millicredits - new.held_millicredits
            < coalesce(new.low_balance_millicredits, events_low_balance_default())
        and old.balance_millicredits - old.held_millicredits
            >= coalesce(new.low_balance_millicredits, events_low_balance_default()))
    execute function events_balance_low();

-- Re-arms when a credit leaves the available balance at or above the threshold.
create trigger accounts_balance_rearm after update of balance_millicredits on accounts
    for each row when (
        new.balance_millicredits > old.balance_millicredits
        and new.balance_millicredits - new.held_millicredits
            >= coalesce(new.low_balance_millicredits, events_low_balance_default()))
    execute function events_balance_rearm();

-- spend_limit.reached: today's paid spend reached the daily cap — by a charge, or by the cap being set at or
-- under what was spent — once per account and day (the dedupe key). A spend day that is not the service's
-- today (a stale counter under a newly lowered cap) is no news.
create function events_spend_limit_reached() returns trigger language plpgsql as $$
declare
    v_now timestamptz := credits_service_now();
    v_day date := cast(v_now at time zone 'UTC' as date);
begin
    if new.spend_day = v_day then
        perform events_append(new.account_id, 'spend_limit.reached', jsonb_build_object(
            'day', cast(v_day as text),
            'limitMillicredits', new.daily_spend_limit_millicredits,
            'spentTodayMillicredits', new.spent_on_spend_day_millicredits,
            'resetsAt', to_char((v_day + 1)::timestamp, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
            v_now, 'spend_limit.reached:' || new.account_id || ':' || cast(v_day as text));
    end if;
    return null;
end $$;

create trigger accounts_spend_limit_reached
    after update of spent_on_spend_day_millicredits, spend_day, daily_spend_limit_millicredits on accounts
    for each row when (
        new.daily_spend_limit_millicredits is not null and new.spend_day is not null
        and new.spent_on_spend_day_millicredits >= new.daily_spend_limit_millicredits
        and (old.spend_day is distinct from new.spend_day
             or old.daily_spend_limit_millicredits is null
             or old.spent_on_spend_day_millicredits < old.daily_spend_limit_millicredits))
    execute function events_spend_limit_reached();
