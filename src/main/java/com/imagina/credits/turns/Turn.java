package com.imagina.credits.turns;

import com.imagina.credits.system.ApiException;
import java.time.Instant;
import java.time.LocalDate;

/** A stored turn: its authorization and, once settled, its usage, prices and cost. */
record Turn(
        String turnId,
        String accountId,
        String journeyId,
        String worldId,
        String modelId,
        Purpose purpose,
        FundedBy fundedBy,
        TurnStatus status,
        long holdMillicredits,
        LocalDate freeTurnDay,
        String requestHash,
        String authorizeResponse,
        Instant createdAt,
        Instant expiresAt,
        Instant closedAt,
        String settleHash,
        String settleResponse) {

    boolean freeTurn() {
        return fundedBy == FundedBy.FREE_TURN;
    }

    /** The one 404 for a turn id nobody authorized: {@code unknown_turn}. */
    static ApiException unknown(String turnId) {
        return ApiException.notFound("unknown_turn", "No turn '" + turnId + "'.");
    }
}
