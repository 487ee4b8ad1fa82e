/**
 * Revenue share for world owners: the nightly payout and the creator's earnings page.
 *
 * <p><b>Guarantees.</b> Each eligible charge is paid exactly once, never skipped, whatever the number of
 * runs, instances or crashes:
 * <ul>
 * <li>What earns: a settled, paid ({@code funded_by = 'credits'}, charged &gt; 0) {@code play} charge by a
 * player other than the world's owner, in a world that was published when the turn was played (the
 * owner and the published flag are copied onto the turn at authorization). Free turns, authoring
 * ({@code world_text}, {@code world_image}) and owners' own plays earn nothing; a world that is unpublished
 * stops earning from then on, and a world republished earns again from then on.
 * <li>How much: {@code credits.revenue-share.percent} (default 20) of one (owner, world, UTC day of
 * settlement) group, rounded half-up to the millicredit ONCE on the group's sum:
 * {@code share = round_half_up(sum(charged) × percent / 100)}. The percent is recorded on the payout.
 * <li>Exactly once: a group is paid in one transaction that locks its unpaid charges
 * ({@code for update}), posts one {@code revenue_share} entry through {@code Ledger.post}, records the
 * payout and marks every charge with the payout id. Everything commits together or not at all; a
 * second runner blocked on those rows re-checks {@code revenue_share_payout_id is null} and finds nothing;
 * the entry key {@code revenue_share:{world}:{day}:{owner}} is unique in the ledger as a backstop. A
 * PostgreSQL advisory lock keeps runs from interleaving across instances, but correctness does not
 * depend on it.
 * <li>Why a day is paid once: only days that are over are paid (the API refuses a {@code through} day
 * that is still running; the nightly job waits a minute past midnight), and a charge's day is its
 * settlement time, so a day's charges are all in when it is paid. The one exception is a settlement
 * stamped before midnight whose transaction commits after the run read the day, or a clock moved back in
 * dev/test: such a charge is not lost but paid by a later run as batch 2 of that day (key suffix
 * {@code :2}), rounded on its own.
 * <li>Refunds and adjustments never claw back a payout already made.
 * </ul>
 *
 * <p>{@link com.imagina.credits.payouts.NightlyPayout} pays through yesterday every 10 minutes when, and
 * only when, an unpaid eligible charge exists (one probe of a partial index), so it catches up after
 * downtime. {@link com.imagina.credits.payouts.WorldEarnings} shows a creator the same numbers computed
 * by the same rule, and {@link com.imagina.credits.payouts.PayoutChecks} adds the invariants to the
 * reconciliation.
 */
package com.imagina.credits.payouts;
