package com.imagina.credits.turns;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/turns}: what the engine is about to run, for whom, and how big it may get. */
record AuthorizeRequest(
        @NotBlank @Size(max = 200) String turnId,
        @NotBlank @Size(max = 200) String accountId,
        @Size(max = 200) String journeyId,
        @NotBlank @Size(max = 200) String worldId,
        @NotBlank @Size(max = 200) String modelId,
        Purpose purpose,
        @PositiveOrZero @Max(10_000_000) Long maxOutputTokens,
        @PositiveOrZero @Max(10_000_000) Long expectedInputTokens,
        @PositiveOrZero @Max(10_000) Long expectedImages) {

    Purpose purposeOrDefault() {
        return purpose == null ? Purpose.PLAY : purpose;
    }

    /** The request as it is hashed for idempotency: the defaulted purpose counts as given. */
    AuthorizeRequest canonical() {
        return new AuthorizeRequest(turnId, accountId, journeyId, worldId, modelId, purposeOrDefault(),
                maxOutputTokens, expectedInputTokens, expectedImages);
    }
}
