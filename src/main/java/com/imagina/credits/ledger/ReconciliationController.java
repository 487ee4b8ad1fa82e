package com.imagina.credits.ledger;

import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.security.Caller;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/reconciliation}: every check of the ledger's guarantees, in full (no parameter
 * or {@code ?full=true}), incremental since an instant ({@code ?since=}), or incremental from the
 * scheduled job's watermark ({@code ?full=false}).
 */
@RestController
class ReconciliationController {
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final Reconciliation reconciliation;
    private final ReconciliationJob reconciliationJob;

    ReconciliationController(Reconciliation reconciliation, ReconciliationJob reconciliationJob) {
        this.reconciliation = reconciliation;
        this.reconciliationJob = reconciliationJob;
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

}
