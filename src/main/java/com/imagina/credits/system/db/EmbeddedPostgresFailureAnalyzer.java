package com.imagina.credits.system.db;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link EmbeddedPostgresException} (wrapped in Spring's bean-creation exceptions) into the short
 * "APPLICATION FAILED TO START" report, so an operator sees one sentence instead of a stack trace.
 * Registered in {@code META-INF/spring.factories}.
 */
public class EmbeddedPostgresFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedPostgresException> {
    static final String ACTION = "Fix the cause above, or point credits.db.embedded-data-dir (--credits.db.embedded-data-dir=DIR,"
            + " or CREDITS_DB_EMBEDDED_DATA_DIR) at another directory, or set CREDITS_DB_URL (with CREDITS_DB_USER and"
            + " CREDITS_DB_PASSWORD) to use an external PostgreSQL.";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedPostgresException cause) {
        return new FailureAnalysis(cause.getMessage(), ACTION, cause);
    }
}
