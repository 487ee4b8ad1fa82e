-- Two-phase charges: a turn is authorized (a credit hold or a reserved free turn), then settled with
-- the model's real usage, voided, or expired. AUTHORIZED -> SETTLED / VOIDED / EXPIRED, nothing else.

create table turns (
    turn_id               text primary key,
    account_id            text not null references accounts (account_id),
    journey_id            text,
    world_id              text not null references worlds (world_id),
    model_id              text not null references models (model_id),
    purpose               text not null check (purpose in ('play', 'world_text', 'world_image')),
    funded_by             text not null check (funded_by in ('free_turn', 'credits')),
    status                text not null check (status in ('authorized', 'settled', 'voided', 'expired')),
    -- The credit hold while authorized (0 for a free turn); open holds sum to accounts.held_millicredits.
    hold_millicredits     bigint not null check (hold_millicredits >= 0),
    -- The UTC day whose free-turn allowance this turn used (null for credits).
    free_turn_day         date,
    -- The world as it was when the turn was played: revenue share follows it.
    world_owner_id        text not null,
    world_published       boolean not null,
    max_output_tokens     bigint,
    expected_input_tokens bigint,
    expected_images       bigint,
    request_hash          text not null,
    authorize_response    text not null,
    created_at            timestamptz not null,
    expires_at            timestamptz not null,
    closed_at             timestamptz,
    -- Settlement: what the engine sent, what it means in the contract's terms, the prices charged.
    settle_hash           text,
    settle_response       text,
    usage_raw             jsonb,
    input_tokens          bigint,
    cache_read_tokens     bigint,
    cache_write_tokens    bigint,
    cache_write_1h_tokens bigint,
    output_tokens         bigint,
    images                bigint,
    web_search_requests   bigint,
    price_snapshot        jsonb,
    price_version         int,
    credits_per_usd       numeric,
    cost_millicredits     bigint,
    charged_millicredits  bigint,
    check ((funded_by = 'free_turn') = (free_turn_day is not null)),
    check (funded_by = 'credits' or hold_millicredits = 0)
);
-- Open holds per account: the lazy expiry check and the hold sum read only these.
create index turns_open_by_account on turns (account_id, expires_at) where status = 'authorized';
create index turns_open_by_expiry on turns (expires_at) where status = 'authorized';
-- The cost panel and cache warmth read a journey's latest turns.
create index turns_journey_idx on turns (journey_id, created_at desc) where journey_id is not null;
