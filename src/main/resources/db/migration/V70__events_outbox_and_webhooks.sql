-- Events out: a transactional outbox (each event written in the transaction of the money move it reports,
-- numbered per account by a counter row locked until commit), the webhook endpoints that subscribe to event
-- types, and one leased delivery per (endpoint, event) with its attempts.

-- The per-account event counter. The row is locked by the statement that takes the next number and stays
-- locked until commit, so an account's sequence numbers have no gaps and follow commit order, across
-- instances; a rolled-back move takes its number back with it.
create table event_sequences (
    account_id    text primary key,
    last_sequence bigint not null check (last_sequence >= 0)
);

create table events (
    event_id   text primary key,
    account_id text not null,
    sequence   bigint not null,
    type       text not null,
    data       jsonb not null,
    created_at timestamptz not null,
    -- Set for events that must be published once per fact (grant.expiring per grant, spend_limit.reached
    -- per account and day); null for the others, which are unique with the money move they report.
    dedupe_key text unique,
    unique (account_id, sequence)
);

create table webhook_endpoints (
    endpoint_id text primary key,
    url         text not null,
    event_types text[] not null,
    -- Shown once, in the answer that created the endpoint; kept (as given) because every delivery is
    -- signed with it: an HMAC key cannot be stored as a one-way hash.
    secret      text not null,
    created_at  timestamptz not null,
    deleted_at  timestamptz
);

-- One row per (endpoint, event), queued in the event's own transaction for every live endpoint subscribed to
-- its type. Times here are the database's real time (clock_timestamp(), not the adjustable service clock):
-- leases and retries concern processes and receivers, which live in real time.
create table webhook_deliveries (
    delivery_id     bigint generated always as identity primary key,
    endpoint_id     text not null references webhook_endpoints (endpoint_id),
    event_id        text not null references events (event_id),
    account_id      text not null,
    sequence        bigint not null,
    -- pending → delivered (2xx) / failed (given up after credits.events.give-up-after) / cancelled (endpoint removed)
    state           text not null check (state in ('pending', 'delivered', 'failed', 'cancelled')),
    attempts        int not null default 0,
    next_attempt_at timestamptz not null,
    -- A sender owns the delivery until then; one that dies loses it and another instance sends again.
    leased_until    timestamptz,
    leased_by       text,
    last_status     int,
    last_error      text,
    last_latency_ms int,
    created_at      timestamptz not null,
    delivered_at    timestamptz,
    unique (endpoint_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
-- Per-account order: is there an earlier pending delivery of the same endpoint and account?
create index webhook_deliveries_order on webhook_deliveries (endpoint_id, account_id, sequence)
    where state = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, delivery_id desc);

create table webhook_attempts (
    delivery_id bigint not null references webhook_deliveries (delivery_id),
    attempt     int not null,
    started_at  timestamptz not null,
    status      int,
    error       text,
    latency_ms  int not null,
    primary key (delivery_id, attempt)
);

-- The service clock in SQL, for events written by triggers: the real time plus the adjustable offset
-- (service_clock has no row unless credits.clock.adjustable set one), as ServiceClock.now() computes it.
create function credits_service_now() returns timestamptz language sql stable as $$
    select clock_timestamp() + make_interval(secs => coalesce((select offset_micros from service_clock where id = 1), 0) / 1e6)
$$;

-- The one way to write an event (Outbox.append calls it; so do the triggers): in the caller's transaction,
-- lock the account row (no-key: foreign-key checks of other inserts go on; the money move locked it
-- already, except for events without one) and then the account's counter row, skip the event if its dedupe key was published already (checked under
-- that lock, so two instances cannot both publish it), take the next number, write the event and queue a
-- delivery for every live endpoint subscribed to its type. Returns the event id, or null when deduplicated.
-- Lock order everywhere: the account row (by the money move), then its counter row.
create function events_append(p_account text, p_type text, p_data jsonb, p_created_at timestamptz,
                              p_dedupe_key text) returns text language plpgsql as $$
declare
    v_sequence bigint;
    v_event_id text := 'evt_' || replace(cast(gen_random_uuid() as text), '-', '');
begin
    perform 1 from accounts where account_id = p_account for no key update;
    insert into event_sequences (account_id, last_sequence) values (p_account, 0)
        on conflict (account_id) do nothing;
    select last_sequence + 1 into v_sequence from event_sequences where account_id = p_account for update;
    if p_dedupe_key is not null and exists (select 1 from events where dedupe_key = p_dedupe_key) then
        return null;
    end if;
    update event_sequences set last_sequence = v_sequence where account_id = p_account;
    insert into events (event_id, account_id, sequence, type, data, created_at, dedupe_key)
    values (v_event_id, p_account, v_sequence, p_type, p_data, p_created_at, p_dedupe_key);
    insert into webhook_deliveries (endpoint_id, event_id, account_id, sequence, state, next_attempt_at, created_at)
    select w.endpoint_id, v_event_id, p_account, v_sequence, 'pending', clock_timestamp(), clock_timestamp()
      from webhook_endpoints w
     where w.deleted_at is null and p_type = any (w.event_types);
    return v_event_id;
end $$;
