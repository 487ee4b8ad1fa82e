package com.imagina.credits.system;

import com.imagina.credits.system.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/clock}: the service clock, adjustable only with {@code credits.clock.adjustable}.
 * (Reconciliation lives in {@code ledger}, calibration on demand in {@code estimates}: each endpoint
 * with the feature it serves, so {@code system} depends on no feature.)
 */
@RestController
class ClockController {
    private final ServiceClock clock;
    private final ApplicationEventPublisher events;

    ClockController(ServiceClock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.clock = clock;
    }

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    record ClockRequest(@NotNull Instant now) {}

    record ClockView(Instant now, boolean adjustable) {}

    /** Exists only with {@code credits.clock.adjustable=true}: otherwise 404 like any unknown path. */
    @PostMapping("/api/v1/admin/clock")
    ClockView setClock(@Valid @RequestBody(required = false) ClockRequest request) {
        if (!clock.adjustable()) {
            throw ApiException.notFound("not_found", "No such resource.");
        }
        Caller.current().requireAdmin();
        if (request == null || request.now() == null) {
            throw ApiException.badRequest("now is required.");
        }
        // The offset is kept in microseconds: instants far from today would overflow it.
        if (request.now().isBefore(EARLIEST) || request.now().isAfter(LATEST)) {
            throw ApiException.badRequest("now must lie between " + EARLIEST + " and " + LATEST + ".");
        }
        Instant now = clock.set(request.now());
        events.publishEvent(new ClockChanged(now)); // e.g. the books drop days that are not over any more
        return new ClockView(now, true);
    }

    @GetMapping("/api/v1/admin/clock")
    ClockView getClock() {
        Caller.current().requireAdmin();
        return new ClockView(clock.now(), clock.adjustable());
    }

}
