-- Revenue share: each payout pays a world's owner a share of one (owner, world, UTC day) group of other
-- players' paid play charges; every charge it paid points back at it, so it is paid at most once.

create table revenue_share_payouts (
    payout_id             bigint generated always as identity primary key,
    owner_id              text not null references accounts (account_id),
    world_id              text not null references worlds (world_id),
    -- The UTC day the paid charges were settled on.
    day                   date not null,
    -- 1 for the nightly payout of a day; 2, 3... only for charges whose settlement committed after the
    -- day had been paid (a settle straddling midnight, or a clock moved back in dev/test).
    batch                 int not null check (batch >= 1),
    charges_millicredits  bigint not null check (charges_millicredits > 0),
    charge_count          int not null check (charge_count > 0),
    -- The share in force when it was paid; amount = round_half_up(charges * share_percent / 100), once.
    share_percent         numeric not null check (share_percent >= 0 and share_percent <= 100),
    amount_millicredits   bigint not null check (amount_millicredits >= 0),
    -- The revenue_share entry that paid it; none when the share rounds to 0 (nothing to credit).
    ledger_entry_id       bigint unique references ledger_entries (entry_id),
    created_at            timestamptz not null,
    unique (owner_id, world_id, day, batch),
    check ((amount_millicredits = 0) = (ledger_entry_id is null))
);
create index revenue_share_payouts_world_idx on revenue_share_payouts (world_id, day);

-- The payout that paid this charge's revenue share; set once, in the payout's own transaction.
alter table turns add column revenue_share_payout_id bigint references revenue_share_payouts (payout_id);

-- Charges that still owe their owner a share: the nightly "anything to do?" check and the payout's
-- grouping read only these, so both stay cheap however long the history grows.
create index turns_revenue_share_unpaid on turns (closed_at, world_id, world_owner_id)
    where status = 'settled' and purpose = 'play' and funded_by = 'credits' and charged_millicredits > 0
      and world_published and account_id <> world_owner_id and revenue_share_payout_id is null;
-- A payout's charges, for support and reconciliation.
create index turns_by_revenue_share_payout on turns (revenue_share_payout_id)
    where revenue_share_payout_id is not null;
-- What building a world cost: the earnings page sums its authoring charges.
create index turns_world_authoring on turns (world_id)
    where status = 'settled' and purpose in ('world_text', 'world_image');
