package com.imagina.credits.system;

import com.imagina.credits.estimates.Calibration;
import com.imagina.credits.ledger.Reconciliation;
import com.imagina.credits.system.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Operations that belong to no single feature: the clock, reconciliation, calibration on demand. */
@RestController
class AdminController {
    private final ServiceClock clock;
    private final Reconciliation reconciliation;
    private final Calibration calibration;
    private final ApplicationEventPublisher events;

    AdminController(ServiceClock clock, Reconciliation reconciliation, Calibration calibration,
            ApplicationEventPublisher events) {
        this.events = events;
        this.clock = clock;
        this.reconciliation = reconciliation;
        this.calibration = calibration;
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

    @GetMapping("/api/v1/admin/reconciliation")
    Reconciliation.Report reconciliation() {
        Caller.current().requireAdmin();
        return reconciliation.run();
    }

    @PostMapping("/api/v1/admin/calibration")
    Calibration.Result calibrate() {
        Caller.current().requireAdmin();
        return calibration.run(true);
    }
}
