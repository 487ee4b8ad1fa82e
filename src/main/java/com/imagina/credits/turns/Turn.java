package com.imagina.credits.turns;

import java.time.Instant;
import java.time.LocalDate;

/** A stored turn: its authorization and, once settled, its usage, prices and cost. */
public record Turn(
        String turnId,
        String accountId,
        String journeyId,
        String worldId,
        String modelId,
        Purpose purpose,
        String fundedBy,
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

    public static final String FREE_TURN = "free_turn";
    public static final String CREDITS = "credits";

    public boolean freeTurn() {
        return FREE_TURN.equals(fundedBy);
    }
}
