package com.imagina.credits.system.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a missing CREDITS_JWT_SECRET as one sentence and what to do, not as a stack trace. */
public class MissingJwtSecretFailureAnalyzer extends AbstractFailureAnalyzer<JwtSecret.MissingJwtSecretException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, JwtSecret.MissingJwtSecretException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set CREDITS_JWT_SECRET to the HS256 secret shared with the game engine and the dashboard.", cause);
    }
}
