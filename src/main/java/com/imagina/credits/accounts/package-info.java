/**
 * What a player sees of an account: balance, held and available credits, today's free turns, the daily
 * spending cap, the transaction history as JSON pages (opaque cursor) or a streamed CSV, and the journey
 * cost panel (a journey belongs to one account: it is a view of that account).
 */
package com.imagina.credits.accounts;
