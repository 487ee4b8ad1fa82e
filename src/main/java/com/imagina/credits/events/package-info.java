/**
 * Events out. Every event is written to the outbox ({@code events}) in the transaction of the money move
 * it reports, with the account's next sequence number (a counter row locked until commit: gapless, in
 * commit order, across instances) and one pending delivery per webhook endpoint subscribed to its type.
 * {@link com.imagina.credits.events.Outbox#append} is the call for the money paths (purchases, refunds,
 * disputes, payouts, grants); {@code balance.low} and {@code spend_limit.reached} are written by triggers on
 * {@code accounts} (V71), so the turn path's statements publish them unchanged. The
 * {@link com.imagina.credits.events.WebhookDispatcher} delivers, signed, at least once, in per-account order,
 * under a lease per delivery in PostgreSQL. The live dashboard polls {@code /api/v1/accounts/{id}/events}.
 */
package com.imagina.credits.events;
