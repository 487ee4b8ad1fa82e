-- Prices by reference (issue #25, bytes per turn). A settled turn recorded its model's prices inline
-- (price_snapshot, ~330 bytes a turn). Every price version of every model is now kept once, in
-- model_price_versions, recorded by a trigger on models (so no writer of models can forget it); a settled turn
-- keeps its price_version (as before) and price_snapshot only when its prices differ from that version's row
-- (never, as the service writes: the settlement's guard checks the model is still at the version it priced
-- with). What explains and recomputes a cost is coalesce(turn.price_snapshot, version.prices): the same jsonb,
-- hence the same answers.
create table model_price_versions (
    model_id      text not null references models (model_id),
    price_version int not null,
    prices        jsonb not null,
    recorded_at   timestamptz not null default now(),
    primary key (model_id, price_version)
);

-- The first prices seen at a version stay that version's row (a change of prices without a new version, which
-- the catalog never makes, leaves the turns settled at it with their own inline snapshot).
create function record_model_price_version() returns trigger language plpgsql as $$
begin
    insert into model_price_versions (model_id, price_version, prices)
    values (new.model_id, new.price_version, new.prices)
    on conflict (model_id, price_version) do nothing;
    return new;
end $$;
create trigger models_record_price_version after insert or update of prices, price_version on models
    for each row execute function record_model_price_version();

-- Existing rows: the versions the turns recorded (the earliest snapshot of each), then the models' current ones.
insert into model_price_versions (model_id, price_version, prices)
select distinct on (t.model_id, t.price_version) t.model_id, t.price_version, t.price_snapshot
  from turns t join models m on m.model_id = t.model_id
 where t.price_snapshot is not null and t.price_version is not null
 order by t.model_id, t.price_version, t.closed_at
on conflict do nothing;
insert into model_price_versions (model_id, price_version, prices)
select model_id, price_version, prices from models
on conflict do nothing;

-- Converted: a snapshot equal to its version's row is dropped from the turn.
update turns t set price_snapshot = null
  from model_price_versions v
 where t.price_snapshot is not null
   and v.model_id = t.model_id and v.price_version = t.price_version and v.prices = t.price_snapshot;
