-- Calibrated token profiles: what real first (cold-cache) and follow-up (warm-cache) turns use, per
-- model and world ('' = all worlds), kept as token counts so the current prices price them.

create table estimate_profiles (
    model_id              text not null,
    world_id              text not null,
    phase                 text not null check (phase in ('first', 'follow', 'all')),
    samples               int not null,
    -- percentile_disc: each figure is a real turn's count, never an interpolated float.
    p50_input             bigint not null,
    p50_cache_read        bigint not null,
    p50_cache_write       bigint not null,
    p50_cache_write_1h    bigint not null,
    p50_output            bigint not null,
    p50_images            bigint not null,
    p10_input             bigint not null,
    p10_cache_read        bigint not null,
    p10_cache_write       bigint not null,
    p10_cache_write_1h    bigint not null,
    p10_output            bigint not null,
    p10_images            bigint not null,
    p90_input             bigint not null,
    p90_cache_read        bigint not null,
    p90_cache_write       bigint not null,
    p90_cache_write_1h    bigint not null,
    p90_output            bigint not null,
    p90_images            bigint not null,
    updated_at            timestamptz not null,
    primary key (model_id, world_id, phase)
);

-- How long a world's prompts are (all models), to scale a model's all-worlds profile to this world.
create table world_context_sizes (
    world_id          text primary key, -- '' = all worlds
    samples           int not null,
    p50_prompt_tokens bigint not null,
    updated_at        timestamptz not null
);

-- Where the incremental calibration left off.
create table calibration_state (
    id             int primary key check (id = 1),
    watermark_seq  bigint not null,
    last_run_at    timestamptz not null
);

create index turns_settled_play_by_group on turns (model_id, world_id, closed_at desc)
    where status = 'settled' and purpose = 'play';
create index turns_settled_play_by_world on turns (world_id, closed_at desc)
    where status = 'settled' and purpose = 'play';
create index turns_settled_play_by_model on turns (model_id, closed_at desc)
    where status = 'settled' and purpose = 'play';
create index turns_settled_closed on turns (closed_at) where status = 'settled';

-- Settlement order, independent of the (adjustable) clock: calibration picks up where it left off.
create sequence turn_settle_seq;
alter table turns add column settle_seq bigint;
create index turns_settle_seq on turns (settle_seq) where settle_seq is not null;
