-- Credit packs bought through Stripe Checkout: each Checkout Session we created or heard about, the
-- refunds Stripe reported per payment, and every webhook event we processed, so a grant happens once
-- per session and support can see why credits moved (or did not).

create table checkout_sessions (
    session_id             text primary key,
    -- The buyer (client_reference_id); null only for a session we never created whose event named nobody.
    account_id             text,
    pack_id                text,
    -- 'stripe' and 'simulated' sessions were created here; 'webhook' ones we first saw in an event.
    source                 text not null check (source in ('stripe', 'simulated', 'webhook')),
    -- open -> pending (completed, payment not yet confirmed) -> paid (credits granted);
    -- review (amount, currency, pack or account did not match: nothing granted); expired; failed.
    status                 text not null check (status in ('open', 'pending', 'paid', 'review', 'expired', 'failed')),
    -- The offer as made: what the player must pay and what it grants (pack credits + bonus).
    amount_cents           bigint check (amount_cents >= 0),
    currency               text,
    grant_millicredits     bigint not null default 0 check (grant_millicredits >= 0),
    bonus_millicredits     bigint not null default 0 check (bonus_millicredits >= 0),
    url                    text,
    -- What Stripe says was paid, and the payment intent refunds are mapped through.
    amount_total_cents     bigint,
    paid_currency          text,
    payment_intent         text,
    -- Money actually moved: the purchase entry, and the sum of refund entries taken back so far.
    granted_millicredits   bigint not null default 0 check (granted_millicredits >= 0),
    refunded_millicredits  bigint not null default 0 check (refunded_millicredits >= 0),
    refunded_cents         bigint not null default 0 check (refunded_cents >= 0),
    review_reason          text,
    created_at             timestamptz not null,
    updated_at             timestamptz not null,
    check (refunded_millicredits <= granted_millicredits)
);
create index checkout_sessions_account_idx on checkout_sessions (account_id, created_at desc);
create index checkout_sessions_payment_intent_idx on checkout_sessions (payment_intent)
    where payment_intent is not null;

-- The highest amount_refunded Stripe reported for a payment intent, kept even before (or without) a
-- granted session, so a refund that arrives before its grant is applied when the grant happens.
create table stripe_refunds (
    payment_intent         text primary key,
    charge_id              text not null,
    charge_amount_cents    bigint not null,
    amount_refunded_cents  bigint not null check (amount_refunded_cents >= 0),
    currency               text,
    updated_at             timestamptz not null
);

-- Every verified event, once: a repeated event id is acknowledged and ignored. outcome says what it did.
create table stripe_events (
    event_id        text primary key,
    type            text not null,
    outcome         text not null,
    detail          text,
    session_id      text,
    payment_intent  text,
    api_version     text,
    livemode        boolean,
    payload         text not null,
    received_at     timestamptz not null
);
create index stripe_events_session_idx on stripe_events (session_id, received_at);
create index stripe_events_payment_intent_idx on stripe_events (payment_intent, received_at);
create index stripe_events_received_idx on stripe_events (received_at desc);
