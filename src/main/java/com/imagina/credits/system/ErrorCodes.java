package com.imagina.credits.system;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every problem {@code code} the service answers, each with the example detail the API document shows,
 * in one place: first the codes the README's "Errors" line documents, in its order, then the others by
 * feature. {@code ErrorCodesTest} checks the README's order against this list, and that every code an
 * {@link ApiException} is built with in the code base is listed here.
 */
public final class ErrorCodes {
    /** Code → example detail, in the README's order. */
    public static final Map<String, String> DETAILS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        // The README's "Errors" line, in its order
        d.put("invalid_request", "The body or a parameter is malformed; the detail names the field.");
        d.put("insufficient_credits", "The available balance does not cover the hold.");
        d.put("spend_limit_reached", "The hold would pass the account's daily spending cap.");
        d.put("unknown_model", "No model 'nova'.");
        d.put("unknown_world", "No world 'w-5'.");
        d.put("unknown_turn", "No turn 't-123'.");
        d.put("unknown_pack", "No pack 'pack-xl'.");
        d.put("idempotency_conflict", "The same id was used with a different body.");
        d.put("turn_not_open", "The turn is already settled, voided or expired.");
        d.put("turn_not_settled", "The turn has no cost yet: it is authorized, voided or expired.");
        d.put("payload_too_large", "The body is larger than allowed.");
        d.put("service_unavailable", "The database did not answer in time; nothing changed. Retry after Retry-After.");
        // Its "Auth" line
        d.put("unauthorized", "A valid bearer token is required.");
        d.put("forbidden", "This token may not do that.");
        // Turns, accounts, models, the ledger
        d.put("journey_conflict", "The journey belongs to another account.");
        d.put("default_required", "Exactly one model is the default: set isDefault on another model to move it.");
        d.put("replay_expired", "The turn closed longer ago than the replay window; its answer is no longer kept.");
        d.put("amount_out_of_range", "An amount would leave the range the ledger can hold; nothing was changed.");
        d.put("unknown_account", "No account with that id.");
        d.put("not_found", "No such resource.");
        d.put("internal_error", "Something failed in the service; nothing changed.");
        // Payments
        d.put("unknown_checkout_session", "No checkout session with that id.");
        d.put("payments_unavailable", "Neither Stripe nor the simulated checkout is configured.");
        d.put("payment_provider_error", "Stripe did not create the session.");
        d.put("invalid_signature", "The Stripe-Signature header does not verify.");
        d.put("webhook_secret_missing", "CREDITS_STRIPE_WEBHOOK_SECRET is not set.");
        d.put("not_refundable", "Nothing was paid and granted for the session, so there is nothing to refund.");
        d.put("refund_exceeds_payment", "The refund is more than what is left of the payment.");
        d.put("stripe_error", "Stripe refused the call.");
        // Payouts
        d.put("unknown_payout", "No payout with that id.");
        d.put("payout_incomplete", "The payout run stopped part-way; run it again.");
        // Webhook endpoints
        d.put("unknown_webhook_endpoint", "No webhook endpoint with that id.");
        d.put("unknown_delivery", "No such delivery of that webhook endpoint.");
        d.put("too_many_endpoints", "There are as many webhook endpoints as allowed; remove one first.");
        DETAILS = Collections.unmodifiableMap(d);
    }

    private ErrorCodes() {}
}
