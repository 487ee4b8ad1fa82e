package com.imagina.credits.system.db;

import java.nio.file.Path;

/** Placeholder: the embedded PostgreSQL launcher (see the helper's implementation). */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private EmbeddedPostgresServer() {}

    public static EmbeddedPostgresServer start(Path dataDirectory) {
        throw new IllegalStateException("The embedded PostgreSQL is not available yet: set CREDITS_DB_URL.");
    }

    public String jdbcUrl() {
        return null;
    }

    public String user() {
        return "postgres";
    }

    @Override
    public void close() {}
}
