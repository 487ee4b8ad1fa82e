package com.imagina.credits.turns;

import com.imagina.credits.audit.AuditTrail;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/admin/turns/{turnId}/release {"reason"}}: support releases a stuck hold. The turn's
 * row is locked first (the order settle and void keep), then the engine's own void statement releases
 * it ({@link TurnSettler#voidTurn}); a turn already past its time is expired instead, by the expiry's own
 * statement. The audit row is written in that transaction. A voided turn answers 200 again (recorded as a
 * replay); a settled or expired turn is 409 {@code turn_not_open} and nothing moves.
 */
@RestController
class HoldReleaseController {
    private final TurnStore store;
    private final TurnSettler settler;
    private final HoldExpiry holdExpiry;
    private final ServiceClock clock;
    private final TransactionTemplate tx;
    private final AuditTrail audit;

    HoldReleaseController(TurnStore store, TurnSettler settler, HoldExpiry holdExpiry, ServiceClock clock,
            TransactionTemplate tx, AuditTrail audit) {
        this.store = store;
        this.settler = settler;
        this.holdExpiry = holdExpiry;
        this.clock = clock;
        this.tx = tx;
        this.audit = audit;
    }

    record ReleaseRequest(@NotBlank @Size(max = 500) String reason) {}

    /** {@code status}: {@code voided} (released now or before) or {@code expired} (it was past its time). */
    record Released(String turnId, String accountId, String status, String fundedBy, long releasedMillicredits,
            boolean replayed) {}

    @PostMapping("/api/v1/admin/turns/{turnId}/release")
    Released release(@PathVariable String turnId, @Valid @RequestBody ReleaseRequest request) {
        Caller.current().requireAdmin();
        return tx.execute(status -> {
            Turn turn = store.lock(turnId).orElseThrow(() ->
                    ApiException.notFound("unknown_turn", "No turn '" + turnId + "'."));
            audit.about(turn.accountId());
            if (turn.status() == TurnStatus.VOIDED) {
                audit.replayed("hold_release", turn.accountId(), request, request.reason(), 200);
                return new Released(turnId, turn.accountId(), TurnStatus.VOIDED.wireName(), turn.fundedBy().wireName(), 0, true);
            }
            if (turn.status() != TurnStatus.AUTHORIZED) {
                throw ApiException.conflict("turn_not_open", "Turn '" + turnId + "' is " + turn.status().wireName()
                        + ": it holds nothing to release.");
            }
            Instant now = clock.now();
            String released;
            if (turn.expiresAt().isAfter(now)) {
                settler.voidTurn(turnId); // the engine's void, under the lock this transaction holds
                released = TurnStatus.VOIDED.wireName();
            } else {
                holdExpiry.expireLocked(turnId, turn.accountId(), now);
                released = TurnStatus.EXPIRED.wireName();
            }
            String what = turn.freeTurn() ? "the free turn given back" : turn.holdMillicredits() + " millicredits released";
            audit.applied("hold_release", turn.accountId(), request, request.reason(), 200,
                    "Turn " + turnId + " " + released + ": " + what + ".");
            return new Released(turnId, turn.accountId(), released, turn.fundedBy().wireName(), turn.holdMillicredits(), false);
        });
    }
}
