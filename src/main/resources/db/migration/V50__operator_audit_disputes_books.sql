-- The operator's side: an append-only audit trail of admin actions, chargebacks (disputes) as ledger
-- entries taken back exactly once per dispute, and a per-day rollup of the books kept behind a watermark.

-- Every admin action, refused ones included. Like ledger_entries, rows are never updated or deleted.
create table audit_log (
    audit_id    bigint generated always as identity primary key,
    at          timestamptz not null,
    -- The token's sub.
    actor       text not null,
    -- adjustment, refund, hold_release, model_change, clock_set, payout_run, calibration, grant, ...
    action      text not null,
    account_id  text,
    -- {"method","path","body"} as received (the body bounded), so support sees exactly what was asked.
    request     jsonb not null,
    reason      text,
    -- applied / replayed / refused / failed, with the HTTP status and a sentence.
    outcome     text not null,
    status      int not null,
    detail      text
);
create index audit_log_at_idx on audit_log (at desc, audit_id desc);
create index audit_log_actor_idx on audit_log (actor, audit_id desc);
create index audit_log_account_idx on audit_log (account_id, audit_id desc) where account_id is not null;

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only (% on row %)', tg_op, old.audit_id;
end $$;
create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_is_append_only();

-- Dispute entries. 'grant' and 'expiry' are admitted already for the promotional grants (V60-V69), so
-- that feature's migration need not touch this check again.
alter table ledger_entries drop constraint ledger_entries_type_check;
alter table ledger_entries add constraint ledger_entries_type_check check (type in ('purchase', 'turn',
    'free_turn', 'world_text', 'world_image', 'revenue_share', 'adjustment', 'refund', 'dispute',
    'dispute_reversal', 'grant', 'expiry'));

-- One row per Stripe dispute, whatever order its events arrive in. taken/returned are what its
-- 'dispute' and 'dispute_reversal' entries moved (each at most once: keys dispute:{id}, dispute_reversal:{id}).
create table stripe_disputes (
    dispute_id            text primary key,
    payment_intent        text,
    charge_id             text,
    amount_cents          bigint not null check (amount_cents >= 0),
    currency              text,
    -- Stripe's status; won / lost / warning_closed are final and are never replaced by an earlier one.
    status                text not null,
    session_id            text,
    taken_millicredits    bigint not null default 0 check (taken_millicredits >= 0),
    returned_millicredits bigint not null default 0 check (returned_millicredits >= 0),
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    check (returned_millicredits in (0, taken_millicredits))
);
create index stripe_disputes_payment_intent_idx on stripe_disputes (payment_intent);

-- What disputes hold back from a session right now (taken − returned): refunds and disputes together
-- never take back more than the grant.
alter table checkout_sessions add column disputed_millicredits bigint not null default 0
    check (disputed_millicredits >= 0);
alter table checkout_sessions add constraint checkout_sessions_taken_within_grant
    check (refunded_millicredits + disputed_millicredits <= granted_millicredits);

-- The books read entries by day: a range of created_at, with what the sums need in the index.
create index ledger_entries_created_idx on ledger_entries (created_at)
    include (type, amount_millicredits, full_cost_millicredits);
-- Payment entries of one session (refund cents, bonus split).
create index ledger_entries_payment_reference_idx on ledger_entries (reference, entry_id)
    where type in ('purchase', 'refund', 'dispute', 'dispute_reversal');

-- The books of each closed UTC day (every day from the first entry's through the watermark has a
-- row), computed once when the day is over; days after the watermark are computed live from the index
-- above. closing = the previous day's closing + net.
create table books_days (
    day                         date primary key,
    net_millicredits            bigint not null,
    closing_millicredits        bigint not null,
    movements                   jsonb not null,
    money                       jsonb not null,
    -- Sum of all balances at the end of the day, measured from the accounts when it was computed.
    balances_at_end_millicredits bigint not null,
    entry_count                 bigint not null,
    computed_at                 timestamptz not null
);
create table books_watermark (
    id           int primary key check (id = 1),
    -- Every day up to and including this one is in books_days (days without entries have no row).
    through_day  date not null
);
