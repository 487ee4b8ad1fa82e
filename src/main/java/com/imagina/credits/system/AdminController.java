package com.imagina.credits.system;

import com.imagina.credits.estimates.Calibration;
import com.imagina.credits.ledger.Reconciliation;
import com.imagina.credits.ledger.ReconciliationJob;
import com.imagina.credits.system.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operations that belong to no single feature: the clock, reconciliation, calibration on demand. */
@RestController
class AdminController {
    private final ServiceClock clock;
    private final Reconciliation reconciliation;
    private final ReconciliationJob reconciliationJob;
    private final Calibration calibration;
    private final ApplicationEventPublisher events;

    AdminController(ServiceClock clock, Reconciliation reconciliation, ReconciliationJob reconciliationJob,
            Calibration calibration, ApplicationEventPublisher events) {
        this.events = events;
        this.clock = clock;
        this.reconciliation = reconciliation;
        this.reconciliationJob = reconciliationJob;
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
    Reconciliation.Report reconciliation(@RequestParam(required = false) String since,
            @RequestParam(required = false) String full) {
        Caller.current().requireAdmin();
        // No parameter or ?full=true: every row. ?since=<instant>: only what changed since then (ledger/Reconciliation).
        if (full != null && !full.equals("true") && !full.equals("false")) {
            throw ApiException.badRequest("full must be true or false.");
        }
        if (since == null) {
            // ?full=false alone: incremental from the scheduled job's watermark (minus its overlap).
            // The reconciliation sets its own statement bound, and lifts the driver's wait to match.
            return "false".equals(full) ? reconciliation.since(reconciliationJob.incrementalStart())
                    : reconciliationJob.fullRun();
        }
        if ("true".equals(full)) {
            throw ApiException.badRequest("Give either since or full=true, not both.");
        }
        Instant from;
        try {
            from = Instant.parse(since);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("since must be an ISO-8601 instant, e.g. 2026-12-02T08:00:00Z.");
        }
        if (from.isBefore(EARLIEST) || from.isAfter(LATEST)) {
            throw ApiException.badRequest("since must lie between " + EARLIEST + " and " + LATEST + ".");
        }
        return reconciliation.since(from);
    }

    @PostMapping("/api/v1/admin/calibration")
    Calibration.Result calibrate() {
        Caller.current().requireAdmin();
        return calibration.run(true);
    }
}
