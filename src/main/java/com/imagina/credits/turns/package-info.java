/**
 * Charging AI turns in two phases. {@code AUTHORIZED → SETTLED / VOIDED / EXPIRED}: authorize reserves a
 * free turn (play on an eligible model, while today's allowance lasts) or holds credits; settle charges the
 * real cost of the model's usage at its current prices (in full, even above the hold) and stores the usage
 * as sent, the normalized usage and the price snapshot; void releases; holds nobody closes expire after
 * {@code credits.holds.ttl}. Lock order is always turn row, then account row. Concurrency limits (balance,
 * daily cap, free turns) are single conditional updates of the account row, so they hold across instances.
 * On the usual path each phase writes with one statement in autocommit (the account update with the turn
 * insert; the guarded posting with the turn's closing), so an account row is never locked across a round
 * trip to the service: that is what keeps one busy account fast.
 */
package com.imagina.credits.turns;
