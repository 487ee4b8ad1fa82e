-- Events out: a transactional outbox (each event written in the transaction of the money move it reports,
-- numbered per account), webhook endpoints and their deliveries (leased per delivery, so several instances
-- share the work), and the low-balance alert state that the money statements read and arm.

-- The per-account event counter: the row is locked by the statement that takes the next number, so
-- sequences have no gaps and follow commit order within an account, across instances.
create table event_sequences (
    account_id    text primary key,
    last_sequence bigint not null check (last_sequence > 0)
);

create table events (
    event_id   text primary key,
    account_id text not null,
    sequence   bigint not null,
    type       text not null,
    data       jsonb not null,
    created_at timestamptz not null,
    -- For events that must be published once per fact that is not a money move (spend_limit.reached per
    -- account, day and cap); null for the others, whose uniqueness comes with their move.
    dedupe_key text unique,
    unique (account_id, sequence)
);

create table webhook_endpoints (
    endpoint_id text primary key,
    url         text not null,
    event_types text[] not null,
    -- Shown once when the endpoint is created; kept to sign every delivery.
    secret      text not null,
    created_at  timestamptz not null,
    deleted_at  timestamptz
);

-- One row per (endpoint, event): created with the event, in its transaction, for every endpoint that
-- subscribed to its type. Times here are the database's real time (not the adjustable service clock):
-- leases and retries are about processes and receivers, which live in real time.
create table webhook_deliveries (
    delivery_id      bigint generated always as identity primary key,
    endpoint_id      text not null references webhook_endpoints (endpoint_id),
    event_id         text not null references events (event_id),
    account_id       text not null,
    sequence         bigint not null,
    state            text not null check (state in ('pending', 'delivered', 'failed', 'cancelled')),
    attempts         int not null default 0,
    next_attempt_at  timestamptz not null,
    lease_until      timestamptz,
    leased_by        text,
    last_status      int,
    last_error       text,
    last_latency_ms  int,
    created_at       timestamptz not null,
    delivered_at     timestamptz,
    unique (endpoint_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
-- Per-account order: the earlier pending deliveries of the same endpoint and account.
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

-- The global default low-balance threshold (null: no alert unless the account sets one).
create table alert_settings (
    id                      int primary key check (id = 1),
    low_balance_millicredits bigint check (low_balance_millicredits >= 0)
);
insert into alert_settings (id, low_balance_millicredits) values (1, null);

-- An account's own threshold (null: the default) and whether balance.low is armed. No row: the default
-- threshold, armed.
create table balance_alerts (
    account_id               text primary key,
    low_balance_millicredits bigint check (low_balance_millicredits >= 0),
    low_armed                boolean not null default true,
    low_fired_at             timestamptz
);
