-- The ledger core: accounts with their balances, the immutable entries that explain them, the model
-- catalog and worlds. Money is bigint millicredits everywhere; prices are exact numerics.

create table service_clock (
    id            int primary key check (id = 1),
    offset_micros bigint not null
);

create table accounts (
    account_id                     text primary key,
    -- balance = sum(ledger_entries.amount_millicredits) of this account (checked by reconciliation).
    balance_millicredits           bigint not null default 0,
    -- held = sum(turns.hold_millicredits) of this account's open credit holds.
    held_millicredits              bigint not null default 0 check (held_millicredits >= 0),
    -- Free turns used on free_turns_day; another day means none used yet.
    free_turns_day                 date,
    free_turns_used                int not null default 0 check (free_turns_used >= 0),
    -- The player's own daily cap, and what paid charges settled on spend_day came to.
    daily_spend_limit_millicredits bigint check (daily_spend_limit_millicredits >= 0),
    spend_day                      date,
    spent_on_spend_day_millicredits bigint not null default 0,
    created_at                     timestamptz not null
);

create table ledger_entries (
    entry_id                   bigint generated always as identity primary key,
    account_id                 text not null references accounts (account_id),
    type                       text not null check (type in ('purchase', 'turn', 'free_turn', 'world_text',
                                   'world_image', 'revenue_share', 'adjustment', 'refund')),
    amount_millicredits        bigint not null,
    full_cost_millicredits     bigint,
    balance_after_millicredits bigint not null,
    description                text not null,
    -- Every money move has a unique key: applying the same move twice is impossible.
    entry_key                  text not null unique,
    turn_id                    text,
    model_id                   text,
    world_id                   text,
    adjustment_id              text,
    reference                  text,
    created_at                 timestamptz not null
);
create index ledger_entries_account_idx on ledger_entries (account_id, entry_id desc);
create index ledger_entries_account_type_idx on ledger_entries (account_id, type, entry_id desc);

-- Entries are never updated or deleted: history is appended to, not edited.
create function ledger_entries_are_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'ledger entries are immutable (% on entry %)', tg_op, old.entry_id;
end $$;
create trigger ledger_entries_immutable before update or delete on ledger_entries
    for each row execute function ledger_entries_are_immutable();

-- Replay protection for calls that carry a client-chosen id: the key, a hash of the request, and the
-- answer that was given, written in the same transaction as the effect.
create table idempotency_keys (
    idempotency_key text primary key,
    request_hash    text not null,
    response_status int not null,
    response_body   text not null,
    created_at      timestamptz not null
);

create table models (
    model_id          text primary key,
    name              text not null,
    provider          text not null,
    tier              text not null,
    credits_only      boolean not null default false,
    is_default        boolean not null default false,
    -- Decimal strings as the contract shows them; parsed into BigDecimal, never a float.
    prices            jsonb not null,
    cache_ttl_seconds int not null check (cache_ttl_seconds >= 0),
    -- Typical token profiles of a first and a follow-up turn: the prior of the estimates.
    prior_profile     jsonb,
    price_version     int not null default 1,
    updated_at        timestamptz not null
);
-- Exactly one default model at most, enforced by the database.
create unique index models_single_default on models ((true)) where is_default;

create table worlds (
    world_id   text primary key,
    owner_id   text not null,
    title      text not null,
    published  boolean not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index worlds_owner_idx on worlds (owner_id);

-- When a world was published or unpublished: revenue share counts plays in a published world only.
create table world_publication_changes (
    world_id   text not null references worlds (world_id),
    published  boolean not null,
    changed_at timestamptz not null
);
create index world_publication_changes_idx on world_publication_changes (world_id, changed_at);
