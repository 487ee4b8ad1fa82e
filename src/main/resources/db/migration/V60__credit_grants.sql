-- Promotional credits that expire, spent in a fixed order. The account row keeps what is left of each
-- kind of credit, so a turn's charge takes them in order inside the one statement that moves the
-- balance: promotional and goodwill grants first, then earned revenue share, then purchased credits
-- (purchased = balance - promotional - earned; it alone may go below zero, as debt).

alter table accounts
    -- What is left of the account's promotional and goodwill grants, all of them together.
    add column promo_millicredits bigint not null default 0 check (promo_millicredits >= 0),
    -- Revenue share earned and not yet spent.
    add column earned_millicredits bigint not null default 0 check (earned_millicredits >= 0),
    -- Promotional credits spent since the grants' remainders were last brought up to date: spending
    -- takes them soonest-expiring first, which is applied to the grant rows (credit_grants) whenever
    -- the set of grants changes (a new grant, an expiry), under the account row's lock.
    add column promo_unallocated_millicredits bigint not null default 0 check (promo_unallocated_millicredits >= 0),
    -- What the last posting on this account took from promotional credits (a settled turn records it).
    add column last_spend_promo_millicredits bigint not null default 0;

create table credit_grants (
    grant_id               text primary key,
    account_id             text not null references accounts (account_id),
    kind                   text not null check (kind in ('promotional', 'goodwill')),
    amount_millicredits    bigint not null check (amount_millicredits > 0),
    -- What is left of it, as of the account's last allocation (see promo_unallocated_millicredits).
    remaining_millicredits bigint not null check (remaining_millicredits >= 0
                                                  and remaining_millicredits <= amount_millicredits),
    expires_at             timestamptz,
    reason                 text not null,
    created_at             timestamptz not null,
    -- Set once, when it expired; expired_millicredits is what its expiry entry took (0: nothing was left).
    expired_at             timestamptz,
    expired_millicredits   bigint check (expired_millicredits >= 0),
    check ((expired_at is null) = (expired_millicredits is null))
);
-- Live grants of an account in spending order, and those due to expire.
create index credit_grants_live_idx on credit_grants (account_id, expires_at) where expired_at is null;
create index credit_grants_due_idx on credit_grants (expires_at) where expired_at is null and expires_at is not null;

alter table ledger_entries drop constraint ledger_entries_type_check;
alter table ledger_entries add constraint ledger_entries_type_check check (type in ('purchase', 'turn',
    'free_turn', 'world_text', 'world_image', 'revenue_share', 'adjustment', 'refund', 'grant', 'expiry',
    'dispute', 'dispute_reversal'));

-- The part of a settled turn's charge that was paid with promotional credits.
alter table turns add column charged_promotional_millicredits bigint;

-- What of a settled charge earns its world's owner a share: the whole charge, or only the part not paid
-- with promotional credits (credits.revenue-share.on-promotional, decided when the turn settles).
alter table turns add column revenue_share_base_millicredits bigint;
update turns set revenue_share_base_millicredits = charged_millicredits, charged_promotional_millicredits = 0
 where status = 'settled';
drop index turns_revenue_share_unpaid;
create index turns_revenue_share_unpaid on turns (closed_at, world_id, world_owner_id)
    where status = 'settled' and purpose = 'play' and funded_by = 'credits' and revenue_share_base_millicredits > 0
      and world_published and account_id <> world_owner_id and revenue_share_payout_id is null;
