package com.imagina.credits.ledger;

import com.imagina.credits.audit.AuditTrail;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/admin/adjustments}: support's manual credit or debit, idempotent on
 * {@code adjustmentId}. A debit may take the balance below zero (support decides; new holds are then
 * refused), and a zero amount is refused as meaningless.
 */
@RestController
class AdjustmentController {
    private final Ledger ledger;
    private final Accounts accounts;
    private final Idempotency idempotency;
    private final ServiceClock clock;
    private final TransactionTemplate tx;
    private final AuditTrail audit;

    AdjustmentController(Ledger ledger, Accounts accounts, Idempotency idempotency, ServiceClock clock,
            TransactionTemplate tx, AuditTrail audit) {
        this.audit = audit;
        this.ledger = ledger;
        this.accounts = accounts;
        this.idempotency = idempotency;
        this.clock = clock;
        this.tx = tx;
    }

    record AdjustmentRequest(
            @NotBlank @Size(max = 200) String adjustmentId,
            @NotBlank @Size(max = 200) String accountId,
            @NotNull @Min(-1_000_000_000_000L) @Max(1_000_000_000_000L) Long amountMillicredits,
            @NotBlank @Size(max = 500) String reason) {}

    record AdjustmentView(long id, String type, String adjustmentId, String accountId, long amountMillicredits,
            long balanceAfterMillicredits, String description, Instant createdAt) {}

    @PostMapping("/api/v1/admin/adjustments")
    ResponseEntity<AdjustmentView> adjust(@Valid @RequestBody AdjustmentRequest request) {
        Caller.current().requireAdmin();
        if (request.amountMillicredits() == 0) {
            throw ApiException.badRequest("amountMillicredits must not be 0.");
        }
        // The audit row is written in the adjustment's own transaction: no adjustment without its row.
        Idempotency.Outcome<AdjustmentView> outcome = tx.execute(status -> {
            Idempotency.Outcome<AdjustmentView> once =
                idempotency.once("adjustment:" + request.adjustmentId(), request, 201, AdjustmentView.class, () -> {
                    accounts.ensure(request.accountId());
                    LedgerEntry entry = ledger.post(Posting.adjustment(request.accountId(),
                            request.amountMillicredits(), request.reason(), request.adjustmentId(), clock.now()));
                    audit.applied("adjustment", request.accountId(), request, request.reason(), 201,
                            "Entry " + entry.id() + ": " + entry.amountMillicredits() + " millicredits, balance after "
                                    + entry.balanceAfterMillicredits() + ".");
                    return new AdjustmentView(entry.id(), entry.type().wireName(), request.adjustmentId(),
                            entry.accountId(), entry.amountMillicredits(), entry.balanceAfterMillicredits(),
                            entry.description(), entry.createdAt());
                });
            if (once.replayed()) {
                audit.replayed("adjustment", request.accountId(), request, request.reason(), once.status());
            }
            return once;
        });
        return ResponseEntity.status(outcome.status()).body(outcome.value());
    }
}
