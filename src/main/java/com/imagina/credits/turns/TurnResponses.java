package com.imagina.credits.turns;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** The answers of the turn endpoints, field for field as the contract names them. */
final class TurnResponses {
    private TurnResponses() {}

    record Authorized(String turnId, String status, String fundedBy, long holdMillicredits,
            long availableMillicredits, int freeTurnsRemaining, Instant expiresAt) {}

    record Settled(String turnId, String status, String fundedBy, long costMillicredits,
            long chargedMillicredits, long uncollectedMillicredits, long balanceMillicredits,
            int freeTurnsRemaining) {}

    record Voided(String turnId, String status) {}

    /** The switch offer of a 402: an eligible model and what a turn on it is expected to cost. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SuggestedModel(String id, String name, long estimatedMillicredits) {}
}
