package com.imagina.credits.payouts;

import com.imagina.credits.audit.AuditTrail;
import com.imagina.credits.payouts.GroupPayer.PaidOut;
import com.imagina.credits.payouts.PayoutStore.PaidCharge;
import com.imagina.credits.payouts.PayoutStore.Payout;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.CreditsProperties;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/admin/payouts {"through":"2026-11-24"}} runs the revenue-share payout through the
 * end of that UTC day, which must be over on the service clock (400 {@code invalid_request} otherwise:
 * a day still running could gain charges after it was paid). Answers with what THIS run paid; a second
 * run, concurrent or later, answers with an empty list. {@code GET /api/v1/admin/payouts/{payoutId}}
 * explains a payout charge by charge.
 */
@RestController
class PayoutController {
    static final String ROUNDING = "share = round_half_up(sum of the day's eligible charges × sharePercent / 100),"
            + " once per owner, world and UTC day";

    private final PayoutRun run;
    private final PayoutStore store;
    private final ServiceClock clock;
    private final BigDecimal percent;
    private final AuditTrail audit;

    PayoutController(PayoutRun run, PayoutStore store, ServiceClock clock, CreditsProperties properties,
            AuditTrail audit) {
        this.audit = audit;
        this.run = run;
        this.store = store;
        this.clock = clock;
        this.percent = properties.revenueShare().percent();
    }

    record PayoutRequest(String through) {}

    record PayoutLine(String ownerId, String worldId, LocalDate day, long amountMillicredits, long payoutId,
            int batch, int paidPlays, long playSpendMillicredits) {
        static PayoutLine of(PaidOut p) {
            return new PayoutLine(p.ownerId(), p.worldId(), p.day(), p.amountMillicredits(), p.payoutId(), p.batch(),
                    p.paidPlays(), p.playSpendMillicredits());
        }
    }

    record PayoutsResponse(List<PayoutLine> payouts, BigDecimal sharePercent, String rounding) {}

    record PayoutDetail(long payoutId, String ownerId, String worldId, LocalDate day, int batch,
            long amountMillicredits, long playSpendMillicredits, int paidPlays, BigDecimal sharePercent,
            Long ledgerEntryId, Instant createdAt, String rounding, List<PaidCharge> charges) {}

    @PostMapping("/api/v1/admin/payouts")
    PayoutsResponse pay(@RequestBody(required = false) PayoutRequest request) {
        Caller.current().requireAdmin();
        LocalDate through = parseDay(request == null ? null : request.through());
        if (PayoutRun.endOf(through).isAfter(clock.now())) {
            throw ApiException.badRequest("Day " + through + " is not over yet: a payout pays whole UTC days only.")
                    .with("through", through.toString())
                    .with("latestPayableDay", clock.today().minusDays(1).toString());
        }
        // A run by hand pays in one transaction per group: its audit row is committed before any of them,
        // and a second row says what it paid (a failure is recorded by the audit filter).
        audit.record(new AuditTrail.Entry(Caller.current().accountId(), "payout_run", null, audit.describe(request),
                audit.headerReason(), AuditTrail.Outcome.STARTED, 0, "Paying every unpaid (owner, world, day) through " + through + "."));
        PayoutRun.Result result = run.payThrough(through);
        // A share that rounds to 0 settles its charges but pays nothing: no transaction to report.
        List<PayoutLine> lines = result.paid().stream().filter(p -> p.amountMillicredits() > 0)
                .map(PayoutLine::of).toList();
        if (!result.failed().isEmpty()) {
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "payout_incomplete",
                    result.failed().size() + " payout groups failed and stay unpaid; run the payout again.")
                    .with("payouts", lines).with("failedGroups", result.failed());
        }
        audit.applied("payout_run", null, request, audit.headerReason(), 200, "Paid " + lines.size() + " payouts, "
                + lines.stream().mapToLong(PayoutLine::amountMillicredits).sum() + " millicredits in total.");
        return new PayoutsResponse(lines, percent, ROUNDING);
    }

    @GetMapping("/api/v1/admin/payouts/{payoutId}")
    PayoutDetail get(@PathVariable String payoutId) {
        Caller.current().requireAdmin();
        Payout p = parseId(payoutId).flatMap(store::find)
                .orElseThrow(() -> ApiException.notFound("unknown_payout", "No payout '" + payoutId + "'."));
        return new PayoutDetail(p.payoutId(), p.ownerId(), p.worldId(), p.day(), p.batch(), p.amountMillicredits(),
                p.chargesMillicredits(), p.chargeCount(), p.sharePercent(), p.ledgerEntryId(), p.createdAt(),
                ROUNDING, store.chargesOf(p.payoutId()));
    }

    private static LocalDate parseDay(String day) {
        if (day == null) {
            throw ApiException.badRequest("through is required: a UTC day such as \"2026-11-24\".");
        }
        try {
            return LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("through must be a UTC day such as \"2026-11-24\".");
        }
    }

    private static Optional<Long> parseId(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
