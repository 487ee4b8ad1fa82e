/**
 * The audit trail of admin actions.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@code audit_log} is append-only: a trigger refuses {@code UPDATE} and {@code DELETE}, as on
 *       {@code ledger_entries}.</li>
 *   <li>An admin action that moves money records its row through {@link com.imagina.credits.audit.AuditTrail#applied}
 *       inside the transaction that moves it: the money and its audit row commit together or not at all,
 *       so nothing that moves money can be done without leaving a row.</li>
 *   <li>Every other admin call that changes something (any method but {@code GET}/{@code HEAD} under
 *       {@code /api/v1/admin/}) is recorded by {@link com.imagina.credits.audit.AdminAuditFilter} after it
 *       answered: refused calls (4xx) and failures (5xx) with their problem code, and successful calls
 *       that did not record themselves (the clock, calibration, price changes, webhook endpoints...).
 *       A refused money move rolled its own transaction back, so its row is written in a transaction of
 *       its own.</li>
 * </ul>
 * The actor is the token's {@code sub}; the reason is the body's {@code reason}, else the
 * {@code Audit-Reason} header (the console sends one for actions whose body has no reason, such as a
 * price change).
 */
package com.imagina.credits.audit;
