/**
 * What a player sees of an account: balance, held and available credits, today's free turns, the daily
 * spending cap, and the transaction history as JSON pages (opaque cursor) or a streamed CSV.
 */
package com.imagina.credits.accounts;
