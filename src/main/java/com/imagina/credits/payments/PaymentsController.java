package com.imagina.credits.payments;

import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.payments.CheckoutSessions.SessionRow;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.security.Caller;
import com.imagina.credits.system.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pack catalog, starting a checkout, a session's state (for the success page), and the event log
 * support reads to see what Stripe told us.
 */
@RestController
class PaymentsController {
    private final PackCatalog catalog;
    private final Checkouts checkouts;
    private final CheckoutSessions sessions;
    private final StripeEvents events;
    private final Accounts accounts;
    private final StripeKeys keys;

    PaymentsController(PackCatalog catalog, Checkouts checkouts, CheckoutSessions sessions, StripeEvents events,
            Accounts accounts, StripeKeys keys) {
        this.catalog = catalog;
        this.checkouts = checkouts;
        this.sessions = sessions;
        this.events = events;
        this.accounts = accounts;
        this.keys = keys;
    }

    record PackList(List<Pack> packs) {}

    record CheckoutRequest(@NotBlank @Size(max = 100) String packId) {}

    record CheckoutView(String id, String accountId, String packId, String status, Long amountCents,
            String currency, long grantMillicredits, long bonusMillicredits, long grantedMillicredits,
            long refundedMillicredits, String reviewReason, Instant createdAt, Instant updatedAt) {}

    record EventList(List<StripeEvents.EventRow> items) {}

    @GetMapping("/api/v1/packs")
    PackList packs() {
        return new PackList(catalog.all());
    }

    @PostMapping("/api/v1/checkout-sessions")
    @ResponseStatus(HttpStatus.CREATED)
    Checkouts.Created create(@Valid @RequestBody CheckoutRequest request, HttpServletRequest http) {
        Caller caller = Caller.current();
        if (!caller.is(Role.PLAYER) && !caller.is(Role.ADMIN)) {
            throw ApiException.forbidden("Only a player buys credit packs.");
        }
        Pack pack = catalog.find(request.packId()).orElseThrow(() ->
                ApiException.notFound("unknown_pack", "No pack '" + request.packId() + "'."));
        accounts.ensure(caller.accountId());
        return checkouts.create(pack, caller.accountId(), BaseUrl.of(keys, http));
    }

    @GetMapping("/api/v1/checkout-sessions/{sessionId}")
    CheckoutView get(@PathVariable String sessionId) {
        Caller caller = Caller.current();
        SessionRow row = sessions.find(sessionId).orElseThrow(() ->
                ApiException.notFound("unknown_checkout_session", "No checkout session '" + sessionId + "'."));
        if (row.accountId() == null) {
            caller.requireAdmin();
        } else {
            caller.requireAccountAccess(row.accountId());
        }
        return new CheckoutView(row.sessionId(), row.accountId(), row.packId(), row.status().wireName(), row.amountCents(),
                row.currency(), row.grantMillicredits(), row.bonusMillicredits(), row.grantedMillicredits(),
                row.refundedMillicredits(), row.reviewReason(), row.createdAt(), row.updatedAt());
    }

    /** Support: the processed Stripe events, newest first, optionally of one session or payment intent. */
    @GetMapping("/api/v1/admin/stripe-events")
    EventList stripeEvents(@RequestParam(required = false) String sessionId,
            @RequestParam(required = false) String paymentIntent, @RequestParam(defaultValue = "50") int limit) {
        Caller.current().requireAdmin();
        if (limit < 1 || limit > 200) {
            throw ApiException.badRequest("limit must be between 1 and 200.");
        }
        return new EventList(events.recent(sessionId, paymentIntent, limit));
    }
}
