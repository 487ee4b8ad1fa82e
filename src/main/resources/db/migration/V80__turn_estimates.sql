-- Estimates measure themselves: every play turn keeps the estimate the picker showed for it when it was
-- authorized (the first-turn or follow-up figure by cache warmth, and the low-high band), beside its real cost.
alter table turns add column estimate_phase text check (estimate_phase in ('first', 'follow'));
alter table turns add column estimate_millicredits bigint;
alter table turns add column estimate_low_millicredits bigint;
alter table turns add column estimate_high_millicredits bigint;
alter table turns add column estimate_basis text;

-- The accuracy over the most recent settled turns with an estimate: overall, per model, per model and world.
create index turns_estimated_recent on turns (settle_seq desc)
    where status = 'settled' and purpose = 'play' and estimate_millicredits is not null;
create index turns_estimated_by_model on turns (model_id, settle_seq desc)
    where status = 'settled' and purpose = 'play' and estimate_millicredits is not null;
create index turns_estimated_by_group on turns (model_id, world_id, settle_seq desc)
    where status = 'settled' and purpose = 'play' and estimate_millicredits is not null;
