package com.imagina.credits.grants;

import com.imagina.credits.audit.AuditTrail;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Grants;
import com.imagina.credits.ledger.Idempotency;
import com.imagina.credits.ledger.LedgerEntry;
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
 * {@code POST /api/v1/admin/grants}: promotional or goodwill credits for one account, idempotent on
 * {@code grantId} (the same body answers the first 201 again; another body under it is 409). An
 * {@code expiresAt} must lie in the future; without it the grant never expires (it is still spent
 * before earned and purchased credits).
 */
@RestController
class GrantController {
    private final Grants grants;
    private final Accounts accounts;
    private final Idempotency idempotency;
    private final ServiceClock clock;
    private final TransactionTemplate tx;
    private final AuditTrail audit;

    GrantController(Grants grants, Accounts accounts, Idempotency idempotency, ServiceClock clock,
            TransactionTemplate tx, AuditTrail audit) {
        this.audit = audit;
        this.grants = grants;
        this.accounts = accounts;
        this.idempotency = idempotency;
        this.clock = clock;
        this.tx = tx;
    }

    record GrantRequest(
            @NotBlank @Size(max = 200) String grantId,
            @NotBlank @Size(max = 200) String accountId,
            @NotNull @Min(1) @Max(1_000_000_000_000L) Long amountMillicredits,
            @NotNull Grants.Kind kind,
            Instant expiresAt,
            @NotBlank @Size(max = 500) String reason) {}

    /** The {@code grant} transaction, as the history shows it, with the grant's own fields. */
    record GrantView(long id, String type, String grantId, String accountId, String kind, long amountMillicredits,
            Instant expiresAt, long balanceAfterMillicredits, String description, Instant createdAt) {}

    @PostMapping("/api/v1/admin/grants")
    ResponseEntity<GrantView> grant(@Valid @RequestBody GrantRequest request) {
        Caller.current().requireAdmin();
        Instant now = clock.now();
        // The audit row is written in the grant's own transaction: no grant without its row.
        Idempotency.Outcome<GrantView> outcome = tx.execute(status -> {
            Idempotency.Outcome<GrantView> once =
                idempotency.once("grant:" + request.grantId(), request, 201, GrantView.class, () -> {
                    if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
                        throw ApiException.badRequest("expiresAt must lie in the future.");
                    }
                    accounts.ensure(request.accountId());
                    LedgerEntry entry = grants.create(new Grants.NewGrant(request.grantId(), request.accountId(),
                            request.kind(), request.amountMillicredits(), request.expiresAt(),
                            request.reason(), now));
                    audit.applied("grant", request.accountId(), request, request.reason(), 201, "Entry " + entry.id()
                            + ": " + request.kind().wireName() + " grant of " + entry.amountMillicredits()
                            + " millicredits, balance after " + entry.balanceAfterMillicredits() + ".");
                    return new GrantView(entry.id(), entry.type().wireName(), request.grantId(), entry.accountId(),
                            request.kind().wireName(), entry.amountMillicredits(), request.expiresAt(),
                            entry.balanceAfterMillicredits(), entry.description(), entry.createdAt());
                });
            if (once.replayed()) {
                audit.replayed("grant", request.accountId(), request, request.reason(), once.status());
            }
            return once;
        });
        return ResponseEntity.status(outcome.status()).body(outcome.value());
    }
}
