-- Outbox retention (EventsRetention): old events are found by age, and their deliveries by event.
create index events_created_at on events (created_at);
create index webhook_deliveries_event on webhook_deliveries (event_id);
