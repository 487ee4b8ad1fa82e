package com.imagina.credits.system.docs;

import com.imagina.credits.system.ErrorCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each operation's tag, summary and problem answers, in the contract's words. The HTTP contract's source
 * is the project's {@code API.md} (outside this repository); this table and the README carry its substance.
 */
final class ApiOperations {
    record Doc(String tag, String summary, String description, Map<Integer, List<String>> errors) {}

    static final String TURNS = "Turns";
    static final String ACCOUNTS = "Accounts";
    static final String ESTIMATES = "Models and estimates";
    static final String WORLDS = "Worlds";
    static final String PAYMENTS = "Payments";
    static final String ADMIN = "Admin";
    static final String DEV = "Dev";

    static final String OVERVIEW = """
            Meters, charges and pays out Imagina's in-app credits.

            - **Money** is an integer number of **millicredits** (1 credit = 1,000 millicredits) in fields ending in \
            `Millicredits`; no floating point. A computed cost is rounded half-up to the millicredit, once per charge.
            - **Auth**: `Authorization: Bearer <JWT>` (HS256, `CREDITS_JWT_SECRET`), claims `sub` (the account id), \
            `roles` (`player`, `engine`, `admin`) and `exp`. A `player` acts only on its own account (403 `forbidden`); \
            `engine` acts for any account on the engine's calls; `admin` can do everything. In the dev profile \
            `POST /dev/tokens?accountId=u-1&role=engine` gives a token: paste it into **Authorize**.
            - **Errors** are `application/problem+json` (RFC 9457) with `status`, `title`, `detail` and a `code`. \
            Bad input is 400 `invalid_request`; unknown ids 404; a request that fails changes nothing.
            - **Idempotency**: every call that moves credits carries a client-chosen id (`turnId`, `adjustmentId`, \
            `grantId`) or an `Idempotency-Key`: the same body again answers the first result, another body is 409 \
            `idempotency_conflict`.
            - Accounts are created on first use, with balance 0 and a full free-turn allowance. Times are ISO-8601 \
            UTC instants, days UTC dates. Bodies ≤ 64 KiB (the Stripe webhook 256 KiB), ids 1–200 characters.""";

    static final Map<String, String> TAGS = new LinkedHashMap<>();
    static final Map<Integer, String> TITLES = Map.of(400, "Bad Request", 401, "Unauthorized", 402, "Payment Required",
            403, "Forbidden", 404, "Not Found", 409, "Conflict", 413, "Payload Too Large", 500, "Internal Server Error",
            502, "Bad Gateway", 503, "Service Unavailable");
    /** The codes and their example details: {@link ErrorCodes#DETAILS}, the one list. */
    static final Map<String, String> DETAILS = ErrorCodes.DETAILS;

    /** Calls anyone may make without a token. */
    static final Set<String> PUBLIC = Set.of("GET /api/v1/packs", "POST /api/v1/stripe/webhook", "POST /dev/tokens",
            "GET /checkout/simulated/{sessionId}", "POST /checkout/simulated/{sessionId}/pay");

    private static final Map<String, Doc> DOCS = new LinkedHashMap<>();

    static {
        TAGS.put(TURNS, "The engine's two-phase charge: authorize before the model runs (a hold, or a reserved free turn), "
                + "then settle with the model's real usage, or void if the call failed. Role `engine` (or `admin`). "
                + "The hold is `expectedInputTokens` at the input price + `maxOutputTokens` at the output price; holds "
                + "nobody closes expire after `credits.holds.ttl` (10 min). Cost = (inputTokens·input + cacheReadTokens·"
                + "cacheRead + cacheWriteTokens·cacheWrite + cacheWrite1hTokens·cacheWrite1h + outputTokens·output) / "
                + "1,000,000 + images·usdPerImage + webSearchRequests·usdPerWebSearch USD, × credits-per-usd (1000), in "
                + "millicredits rounded half-up once. Above a model's `longContext.aboveInputTokens` every rate comes "
                + "from the long-context tier.");
        TAGS.put(ACCOUNTS, "A player's account, history and daily cap: a `player` for its own account (`me` names it), "
                + "`engine` and `admin` for any.");
        TAGS.put(ESTIMATES, "The model picker's estimates (calibrated on real turns: `basis` `world`, `model` or `prior`) "
                + "and the journey's cost panel.");
        TAGS.put(WORLDS, "Worlds a turn can name (role `engine` or `admin`) and their owners' earnings.");
        TAGS.put(PAYMENTS, "Credit packs bought through Stripe Checkout (or the simulated checkout in dev and test), "
                + "and the Stripe webhook, authenticated by its signature.");
        TAGS.put(ADMIN, "Role `admin`: adjustments, grants, payouts, calibration, reconciliation, prices, books, audit, "
                + "the adjustable clock (dev and test).");
        TAGS.put(DEV, "Development profile only (404 elsewhere).");

        op("POST /api/v1/turns", TURNS, "Authorize a turn: hold credits or reserve a free turn",
                "Checked in order: the body, the model, the world, a replay of the same `turnId`. A free turn is used for "
                        + "`play` on an eligible model while one is left today; otherwise credits are held. 402 carries "
                        + "`availableMillicredits`, `requiredMillicredits`, `freeTurnsRemaining` and `suggestedModel` "
                        + "(an eligible model to switch to, or null).",
                400, "invalid_request", 402, "insufficient_credits,spend_limit_reached", 403, "forbidden",
                404, "unknown_model,unknown_world", 409, "idempotency_conflict,journey_conflict");
        op("POST /api/v1/turns/{turnId}/settle", TURNS, "Settle a turn with the model's real usage",
                "The body is one of five usage forms. The cost is computed from the usage and the model's current "
                        + "prices; the turn stores the usage as sent, the normalized usage and the price snapshot.",
                400, "invalid_request", 403, "forbidden", 404, "unknown_turn", 409, "idempotency_conflict,turn_not_open");
        op("POST /api/v1/turns/{turnId}/void", TURNS, "Void a turn: release the hold or give the free turn back",
                "Voiding a voided turn answers 200 again; a settled or expired turn is 409.",
                403, "forbidden", 404, "unknown_turn", 409, "turn_not_open");
        op("GET /api/v1/turns/{turnId}", TURNS, "Read a turn, with its usage and cost once settled", null,
                403, "forbidden", 404, "unknown_turn");
        op("GET /api/v1/turns/{turnId}/explanation", TURNS, "Explain a settled turn's cost, part by part", null,
                403, "forbidden", 404, "unknown_turn", 409, "turn_not_settled");
        op("GET /api/v1/accounts/{accountId}", ACCOUNTS, "Balance, held, available, free turns, daily cap, expiring credits",
                "Free turns reset at 00:00 UTC. `expiring` lists promotional credits by expiry, soonest first.",
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/accounts/{accountId}/transactions", ACCOUNTS, "Transaction history, newest first",
                "Types: `purchase`, `turn`, `free_turn` (amount 0, `fullCostMillicredits` what it would have cost), "
                        + "`world_text`, `world_image`, `revenue_share`, `adjustment`, `refund`, `grant`, `expiry`, "
                        + "`dispute`, `dispute_reversal`. Amounts are signed. `limit` ≤ 200; follow `nextCursor`.",
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/accounts/{accountId}/transactions.csv", ACCOUNTS, "Transaction history as CSV",
                "Same access and filters as the JSON history; amounts in credits with three decimals.",
                400, "invalid_request", 403, "forbidden");
        op("PUT /api/v1/accounts/{accountId}/limits", ACCOUNTS, "Set or remove the daily spending cap",
                "`{\"dailySpendLimitMillicredits\":50000}`, `null` removes it. Free turns are never capped.",
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/models", ESTIMATES, "Models with prices and calibrated estimates for a world and journey",
                "`cacheWarm` is true when the journey's last turn used the model within its cache lifetime, so the "
                        + "next turn should cost about `followUpMillicredits`. `estimate.accuracy` (once the model has "
                        + "settled turns with a stored estimate): its last 500 such turns' median absolute percentage "
                        + "error and the share that landed within low–high.",
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/journeys/{journeyId}/costs", ESTIMATES, "A journey's cost panel: recent turns, turns remaining",
                null, 403, "forbidden");
        op("PUT /api/v1/worlds/{worldId}", WORLDS, "Create or change a world (owner, title, published)",
                "A world must exist before a turn names it.", 400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/worlds/{worldId}", WORLDS, "A world's title and whether it is published (any signed-in caller)",
                null, 404, "unknown_world");
        op("GET /api/v1/worlds", WORLDS, "The worlds a player owns", null, 403, "forbidden");
        op("GET /api/v1/worlds/{worldId}/earnings", WORLDS, "A world's building cost against its earnings, per day",
                "The world's owner as `player`, or `admin`.", 403, "forbidden", 404, "unknown_world");
        op("GET /api/v1/packs", PAYMENTS, "Credit packs on sale", null);
        op("POST /api/v1/checkout-sessions", PAYMENTS, "Start a Stripe Checkout for a pack",
                "Role `player`. Without `CREDITS_STRIPE_SECRET_KEY` and with `credits.payments.simulated`, a local "
                        + "simulated checkout with the same flow.",
                400, "invalid_request", 403, "forbidden", 404, "unknown_pack", 502, "payment_provider_error",
                503, "payments_unavailable,service_unavailable");
        op("GET /api/v1/checkout-sessions/{sessionId}", PAYMENTS, "A checkout session's state", null,
                403, "forbidden", 404, "unknown_checkout_session");
        op("POST /api/v1/stripe/webhook", PAYMENTS, "Stripe webhook (authenticated by Stripe-Signature)",
                "Grants pack credits + bonus exactly once per session; refunds and disputes take back their share. "
                        + "Unknown event types are 200 and ignored.",
                400, "invalid_signature,invalid_request", 503, "webhook_secret_missing,service_unavailable");
        op("GET /checkout/simulated/{sessionId}", PAYMENTS, "The simulated checkout page (dev and test)", null,
                404, "not_found");
        op("POST /checkout/simulated/{sessionId}/pay", PAYMENTS, "Pay on the simulated checkout page (dev and test)",
                "Signs a `checkout.session.completed` and sends it through the real webhook code.", 404, "not_found");
        op("POST /api/v1/admin/adjustments", ADMIN, "Credit or debit an account (idempotent on adjustmentId)", null,
                400, "invalid_request", 403, "forbidden", 409, "idempotency_conflict");
        op("POST /api/v1/admin/grants", ADMIN, "Grant promotional or goodwill credits (idempotent on grantId)",
                "Spent first, soonest expiry first; the unspent rest expires at `expiresAt` as an `expiry` transaction.",
                400, "invalid_request", 403, "forbidden", 409, "idempotency_conflict");
        op("POST /api/v1/admin/payouts", ADMIN, "Pay world owners their revenue share through a day",
                "One `revenue_share` transaction per owner, world and day; running it twice pays nothing twice.",
                400, "invalid_request", 403, "forbidden", 500, "payout_incomplete");
        op("GET /api/v1/admin/payouts/{payoutId}", ADMIN, "A payout and the charges it paid", null,
                403, "forbidden", 404, "unknown_payout");
        op("POST /api/v1/admin/calibration", ADMIN, "Recompute the estimates now", null, 403, "forbidden");
        op("GET /api/v1/admin/estimates/accuracy", ADMIN, "How close the stored estimates came to real costs",
                "Over the last `window` (500) settled play turns with a stored estimate: overall, per model, per model "
                        + "and world, and per UTC day from `from` to `to` (default the last 30 days) for the drift.",
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/estimates/backtest", ADMIN, "Replay the stored turns through the calibration day by day",
                "For each day from `from` to `to` (default the last 7), the calibration learns from the turns settled "
                        + "before it and that day's turns are measured against it; `worldWindow`, `modelWindow` and "
                        + "`minSamples` try other settings. Nothing is written.",
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/reconciliation", ADMIN, "Check the ledger's invariants against the stored data", null,
                400, "invalid_request", 403, "forbidden");
        op("PUT /api/v1/admin/models/{modelId}", ADMIN, "Create or change a model and its prices",
                "Settled turns keep their cost. Setting `isDefault` clears it on the others; "
                        + "clearing it on the default itself is refused (409 default_required). Prices ≤ 100,000 USD.",
                400, "invalid_request", 403, "forbidden", 409, "default_required");
        op("GET /api/v1/admin/turns/{turnId}/cost", ADMIN, "Recompute and explain a turn's cost from what was stored",
                null, 403, "forbidden", 404, "unknown_turn", 409, "turn_not_settled");
        op("GET /api/v1/admin/clock", ADMIN, "The service clock (dev and test)", null, 403, "forbidden", 404, "not_found");
        op("POST /api/v1/admin/clock", ADMIN, "Set the service clock (credits.clock.adjustable: dev and test)", null,
                400, "invalid_request", 403, "forbidden", 404, "not_found");
        op("GET /api/v1/admin/books", ADMIN, "Daily books: opening + movements = closing", null,
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/books.csv", ADMIN, "Daily books as CSV", null, 400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/audit", ADMIN, "Every admin action, newest first", null,
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/stripe-events", ADMIN, "Stripe events received and what they did", null,
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/accounts/{accountId}/alerts", ACCOUNTS, "The player's low-balance alert threshold", null,
                400, "invalid_request", 403, "forbidden");
        op("PUT /api/v1/accounts/{accountId}/alerts", ACCOUNTS, "Set or remove the low-balance alert",
                "`{\"lowBalanceMillicredits\":N|null}`: a `balance.low` event when the balance falls below it.",
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/accounts/{accountId}/events", ACCOUNTS, "The account's events, as the dashboard follows them live",
                null, 400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/webhook-endpoints", ADMIN, "Outbound webhook endpoints", null, 403, "forbidden");
        op("POST /api/v1/admin/webhook-endpoints", ADMIN, "Add a webhook endpoint (its secret is shown only here)",
                "Deliveries are signed `Imagina-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, \"{t}.{body}\")>`, at "
                        + "least once, in order per account, retried with backoff for up to 3 days.",
                400, "invalid_request", 403, "forbidden");
        op("DELETE /api/v1/admin/webhook-endpoints/{endpointId}", ADMIN, "Remove a webhook endpoint", null,
                403, "forbidden", 404, "not_found");
        op("GET /api/v1/admin/webhook-endpoints/{endpointId}/deliveries", ADMIN, "An endpoint's deliveries and their attempts",
                null, 400, "invalid_request", 403, "forbidden", 404, "not_found");
        op("POST /api/v1/admin/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/resend", ADMIN, "Send a delivery again",
                null, 403, "forbidden", 404, "not_found");
        op("GET /api/v1/admin/overruns", ADMIN, "Turns that cost more than they held, and what was not collected", null,
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/overruns", ADMIN, "Settled turns whose cost could not be collected in full, with the total",
                "A settle collects at most the hold plus what is available (plus the allowed overdraft) within today's "
                        + "cap; the rest is `uncollectedMillicredits`. Filters: `accountId`, `from`, `to`, `limit` (1–500).",
                400, "invalid_request", 403, "forbidden");
        op("POST /api/v1/admin/webhook-endpoints", ADMIN, "Register a webhook endpoint (its secret is shown only here)",
                null, 400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/webhook-endpoints", ADMIN, "List the webhook endpoints", null, 403, "forbidden");
        op("DELETE /api/v1/admin/webhook-endpoints/{endpointId}", ADMIN, "Remove a webhook endpoint", null,
                403, "forbidden", 404, "not_found");
        op("GET /api/v1/admin/webhook-endpoints/{endpointId}/deliveries", ADMIN,
                "An endpoint's delivery log: attempts, status, latency", null, 403, "forbidden", 404, "not_found");
        op("POST /api/v1/admin/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/resend", ADMIN,
                "Send a delivery again", null, 403, "forbidden", 404, "not_found");
        op("GET /api/v1/accounts/{accountId}/alerts", ACCOUNTS, "The account's low-balance threshold", null,
                400, "invalid_request", 403, "forbidden");
        op("PUT /api/v1/accounts/{accountId}/alerts", ACCOUNTS, "Set the low-balance threshold (null: the default)",
                "`balance.low` is sent once when the available balance crosses below it, and re-armed when a credit "
                        + "lifts it back.", 400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/accounts/{accountId}/events", ACCOUNTS, "The account's events after a sequence number (live feed)",
                null, 400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/lookup", ADMIN, "Find accounts by account, turn, session, payment intent or customer id",
                null, 400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/accounts/{accountId}", ADMIN,
                "One account for support: its view, open holds, uncollected overruns, purchases", null,
                403, "forbidden", 404, "unknown_account");
        op("POST /api/v1/admin/turns/{turnId}/release", ADMIN, "Release a stuck hold (the engine's void), with a reason",
                null, 400, "invalid_request", 403, "forbidden", 404, "unknown_turn", 409, "turn_not_open");
        op("POST /api/v1/admin/refunds", ADMIN, "Refund (part of) a purchase, idempotent on refundId", null,
                400, "invalid_request", 403, "forbidden", 404, "unknown_checkout_session",
                409, "not_refundable,refund_exceeds_payment,payments_unavailable,idempotency_conflict");
        op("GET /api/v1/admin/payouts", ADMIN, "Payouts made per world and day, and what is pending", null,
                400, "invalid_request", 403, "forbidden");
        op("GET /api/v1/admin/models/{modelId}/typical-turn", ADMIN,
                "A typical turn's cost at the current and at proposed prices (changes nothing)", null,
                400, "invalid_request", 403, "forbidden", 404, "unknown_model");
        op("POST /dev/tokens", DEV, "Mint a token (dev profile only)", null, 400, "invalid_request", 404, "not_found");
    }

    private ApiOperations() {}

    /** {@code errors}: status, comma-separated codes, status, codes, … */
    private static void op(String key, String tag, String summary, String description, Object... errors) {
        Map<Integer, List<String>> byStatus = new LinkedHashMap<>();
        for (int i = 0; i < errors.length; i += 2) {
            byStatus.put((Integer) errors[i], List.of(((String) errors[i + 1]).split(",")));
        }
        DOCS.put(key, new Doc(tag, summary, description, byStatus));
    }

    static Doc find(String method, String path) {
        return DOCS.get(method + " " + path);
    }

    /** For an operation the table does not know (a new endpoint): its feature, by path. */
    static String tagOf(String path) {
        if (path.startsWith("/api/v1/admin")) return ADMIN;
        if (path.startsWith("/api/v1/turns")) return TURNS;
        if (path.startsWith("/api/v1/accounts")) return ACCOUNTS;
        if (path.startsWith("/api/v1/models") || path.startsWith("/api/v1/journeys")) return ESTIMATES;
        if (path.startsWith("/api/v1/worlds")) return WORLDS;
        if (path.startsWith("/dev")) return DEV;
        return PAYMENTS.equals(tagOfPayments(path)) ? PAYMENTS : "Other";
    }

    private static String tagOfPayments(String path) {
        return path.startsWith("/api/v1/packs") || path.startsWith("/api/v1/checkout") || path.startsWith("/api/v1/stripe")
                || path.startsWith("/checkout") ? PAYMENTS : null;
    }
}
