/**
 * What the support console ({@code /admin}) reads beyond the public API: finding an account by any id
 * support is handed (account, turn, Checkout Session, payment intent, Stripe customer) and one account's
 * state in one answer (its view, open holds, uncollected overruns, purchases). Read-only: every action
 * the console takes goes through the feature's own admin endpoint (adjustments, grants, refunds, hold
 * release), which records its audit row in the transaction that moves the money.
 */
package com.imagina.credits.console;
