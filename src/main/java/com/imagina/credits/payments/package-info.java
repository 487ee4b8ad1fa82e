/**
 * Credit packs bought through Stripe Checkout.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A Checkout Session grants credits at most once: one {@code purchase} entry with key
 *       {@code purchase:{sessionId}}, equal to the pack's credits + bonus as offered when the session
 *       was created. Every event about a session is processed with the session row locked
 *       ({@code select ... for update}) in the same transaction as the ledger post, and the event id is
 *       claimed first ({@code insert ... on conflict do nothing}), so duplicates, concurrent deliveries
 *       and the same session under several event ids grant once.</li>
 *   <li>Refunds never take back more than was granted, in total, per session.</li>
 *   <li>Nothing moves on an event whose {@code Stripe-Signature} does not verify (stripe-java
 *       {@code Webhook.constructEvent}, 5-minute tolerance): 400 {@code invalid_signature}.</li>
 *   <li>Every verified event is stored once in {@code stripe_events} with its outcome, session and
 *       payment intent ({@code GET /api/v1/admin/stripe-events}); a repeated event id is acknowledged
 *       and does nothing. {@link com.imagina.credits.payments.PaymentChecks} adds these rules to the
 *       reconciliation report.</li>
 * </ul>
 *
 * <h2>Flow</h2>
 * {@code POST /api/v1/checkout-sessions} stores the session as {@code open} with the offer (price,
 * currency, credits, bonus). {@code checkout.session.completed} with {@code payment_status}
 * {@code paid}, or {@code checkout.session.async_payment_succeeded}, grants; a completion with
 * {@code unpaid} marks it {@code pending} and grants nothing until the async success.
 * {@code async_payment_failed} and {@code expired} only change the status. The buyer is
 * {@code client_reference_id} (else {@code metadata.accountId}). A session we never created (e.g. made
 * by an older deployment) is taken from its event: the pack its {@code metadata.packId} names, at
 * today's price and grant; one that is unknown here and names no pack belongs to another product on
 * the same Stripe account and is ignored. Unknown event types are stored as {@code ignored} and
 * answered 200.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Amount or currency mismatch → review.</b> When {@code amount_total} or {@code currency}
 *       differ from the offer, the pack is unknown, or the event names another buyer than the session
 *       was made for, the session becomes {@code review} with the reason, the event's outcome is
 *       {@code review}, and nothing is granted — then or by any later event about it. Support settles
 *       it by hand: an admin adjustment for the credits, or a refund in Stripe.</li>
 *   <li><b>Refund rounding.</b> Stripe's {@code amount_refunded} on the charge is cumulative. The
 *       share taken back is {@code grant × amount_refunded / amount_total}, rounded half-up to the
 *       millicredit (exact integer arithmetic), capped at the grant; each event posts only
 *       {@code target − already taken back} as one negative {@code refund} entry (key
 *       {@code refund:{sessionId}:{amountRefunded}}), so two partial refunds that add up to the whole
 *       take back exactly the grant, and a repeated or older (smaller) {@code amount_refunded} moves
 *       nothing. The balance may go negative when the credits were already spent; new holds are then
 *       refused.</li>
 *   <li><b>Out-of-order refunds.</b> A charge is mapped to its session through
 *       {@code payment_intent}, stored when the session completes. Every {@code charge.refunded} first
 *       records the highest {@code amount_refunded} per payment intent in {@code stripe_refunds}. If
 *       no granted session is known for it yet, the event's outcome is {@code unknown_payment} (or
 *       {@code refund_recorded} for a session not granted) and nothing moves; when that session is
 *       granted later, the grant applies the recorded refund in the same transaction. A refund of a
 *       payment that never becomes a grant stays recorded and moves nothing.</li>
 *   <li><b>Without Stripe.</b> Without {@code CREDITS_STRIPE_SECRET_KEY} (any profile, warned at
 *       start-up) checkouts are simulated ({@code cs_sim_...}) on this service's own page, whose "Pay"
 *       signs a {@code checkout.session.completed} with the webhook secret (or a random one made at
 *       start-up when none is configured) and passes it through
 *       {@link com.imagina.credits.payments.StripeWebhooks#receive}, the real webhook's code path.
 *       It grants credits without payment: a production deployment must set the key. With a key but
 *       no {@code CREDITS_STRIPE_WEBHOOK_SECRET}, every webhook is refused (400
 *       {@code webhook_secret_missing}) and the reason is logged.</li>
 *   <li><b>API versions.</b> Events are parsed with stripe-java's model; when the event's API version
 *       is not the library's pinned one, the data object is deserialized anyway, and failing that the
 *       needed fields are read from the raw JSON.</li>
 * </ul>
 */
package com.imagina.credits.payments;
