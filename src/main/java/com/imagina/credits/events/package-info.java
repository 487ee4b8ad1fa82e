/**
 * Events out. Every event is written to the outbox ({@code events}) in the transaction — or the single
 * statement — of the money move it reports, with the account's next sequence number (a counter row locked
 * by that statement: gapless, in commit order, across instances), and one pending delivery per webhook
 * endpoint subscribed to its type. {@link com.imagina.credits.events.Outbox#publish} is the call for money
 * paths; {@link com.imagina.credits.events.OutboxSql} the same as SQL for the turn path, where
 * {@code balance.low} is detected inside the hold and settle statements. The
 * {@link com.imagina.credits.events.WebhookDispatcher} delivers, signed, at least once, in per-account
 * order, under a lease per delivery. The live dashboard polls {@code /api/v1/accounts/{id}/events}.
 */
package com.imagina.credits.events;
