package com.imagina.credits.system.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A migration older than the database's latest (another branch's reserved version) is still applied. */
class LateMigrationsTest {
    private static EmbeddedPostgresServer embedded;
    private static String url;
    private static String user;

    @BeforeAll
    static void database() {
        String configured = System.getenv("CREDITS_DB_URL");
        if (configured != null && !configured.isBlank()) {
            url = configured;
            user = System.getenv().getOrDefault("CREDITS_DB_USER", "postgres");
        } else {
            embedded = EmbeddedPostgresServer.start(Path.of("target", "embedded-pg-late-migrations"));
            url = embedded.jdbcUrl();
            user = embedded.user();
        }
    }

    @AfterAll
    static void stop() {
        if (embedded != null) embedded.close();
    }

    @Test
    void aLateMigrationIsAppliedOutOfOrderAndAnUpToDateOneMigratesInOrder() throws Exception {
        String schema = "late_" + UUID.randomUUID().toString().substring(0, 8);
        var strategy = new LateMigrations().lateMigrationsOutOfOrder();

        strategy.migrate(flyway(schema, "classpath:late-migrations/early"));
        Flyway both = flyway(schema, "classpath:late-migrations/early", "classpath:late-migrations/late");
        assertThat(both.info().all()).anyMatch(m -> m.getState() == MigrationState.IGNORED);
        assertThat(both.getConfiguration().isOutOfOrder()).isFalse();

        strategy.migrate(both);
        assertThat(flyway(schema, "classpath:late-migrations/early", "classpath:late-migrations/late").info().all())
                .allMatch(m -> m.getState().isApplied());
        try (Connection c = DriverManager.getConnection(url, user, System.getenv().getOrDefault("CREDITS_DB_PASSWORD", ""));
                ResultSet r = c.createStatement().executeQuery(
                        "select count(*) from information_schema.tables where table_schema = '" + schema
                                + "' and table_name in ('late_a', 'late_b')")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(2);
            c.createStatement().execute("drop schema " + schema + " cascade");
        }
    }

    private static Flyway flyway(String schema, String... locations) {
        return Flyway.configure().dataSource(url, user, System.getenv().getOrDefault("CREDITS_DB_PASSWORD", ""))
                .schemas(schema).createSchemas(true).locations(locations).load();
    }
}
