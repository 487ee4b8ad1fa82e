package com.imagina.credits.turns;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.ServiceClock;
import com.imagina.credits.system.db.GroupCommit;
import com.imagina.credits.system.security.Caller;
import com.imagina.credits.turns.TurnResponses.Authorized;
import com.imagina.credits.turns.TurnResponses.Settled;
import com.imagina.credits.turns.TurnResponses.Voided;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The engine's two-phase charge: authorize before the model runs, then settle or void; each call's database
 * work through the instance's group commit ({@link GroupCommit}).
 */
@RestController
@RequestMapping("/api/v1/turns")
class TurnController {
    private final TurnAuthorizer authorizer;
    private final TurnSettler settler;
    private final TurnStore store;
    private final HoldExpiry holdExpiry;
    private final ServiceClock clock;
    private final GroupCommit groupCommit;

    TurnController(TurnAuthorizer authorizer, TurnSettler settler, TurnStore store, HoldExpiry holdExpiry,
            ServiceClock clock, GroupCommit groupCommit) {
        this.groupCommit = groupCommit;
        this.authorizer = authorizer;
        this.settler = settler;
        this.store = store;
        this.holdExpiry = holdExpiry;
        this.clock = clock;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "Authorized (a replay of the same turn id: the first answer)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Authorized.class)))
    StoredAnswer authorize(@Valid @RequestBody AuthorizeRequest request) {
        Caller.current().requireEngine();
        return groupCommit.run(request::accountId, () -> authorizer.authorize(request));
    }

    @PostMapping("/{turnId}/settle")
    Settled settle(@PathVariable String turnId, @RequestBody JsonNode body) {
        Caller.current().requireEngine();
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The settle body must be a JSON object with one usage form.");
        }
        return groupCommit.run(() -> accountOf(turnId), () -> settler.settle(turnId, body));
    }

    @PostMapping("/{turnId}/void")
    Voided voidTurn(@PathVariable String turnId) {
        Caller.current().requireEngine();
        return groupCommit.run(() -> accountOf(turnId), () -> settler.voidTurn(turnId));
    }

    /** A queued settle's or void's place in its batch: the account its turn locks (null: no such turn). */
    private String accountOf(String turnId) {
        return store.find(turnId).map(Turn::accountId).orElse(null);
    }

    @GetMapping("/{turnId}")
    TurnView get(@PathVariable String turnId) {
        Caller caller = Caller.current();
        Turn turn = store.find(turnId).orElseThrow(() -> Turn.unknown(turnId));
        caller.requireAccountAccess(turn.accountId());
        if (turn.status() == TurnStatus.AUTHORIZED && !turn.expiresAt().isAfter(clock.now())) {
            holdExpiry.expireOverdueNow(turn.accountId());
        }
        return store.view(turnId).orElseThrow();
    }
}
