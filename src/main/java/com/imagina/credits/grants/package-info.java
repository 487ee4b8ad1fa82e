/**
 * Promotional credits: {@code POST /api/v1/admin/grants} (promotional and goodwill grants, idempotent on
 * {@code grantId}), the welcome grant of new accounts ({@code credits.welcome-grant.*}), and their
 * expiry — lazily when an account is read or authorizes a turn, and by a sweep every 30 seconds. The
 * grant rows and the spending order live in {@link com.imagina.credits.ledger.Grants}; this package
 * only asks for them.
 */
package com.imagina.credits.grants;
