package com.imagina.credits.system.db;

import com.imagina.credits.system.CreditsProperties;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * PostgreSQL is the only store. With {@code CREDITS_DB_URL} the service uses that database (and, when
 * {@code credits.db.schema} is set, a schema of its own inside it, which tests use to start clean);
 * without it, an embedded PostgreSQL keeps its data under {@code ./data}.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {
    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgresHolder embeddedPostgres(CreditsProperties properties) {
        if (hasText(properties.db().url())) {
            return new EmbeddedPostgresHolder(null);
        }
        Path dataDir = Path.of(properties.db().embeddedDataDir()).toAbsolutePath().normalize();
        log.info("CREDITS_DB_URL is not set: starting the embedded PostgreSQL with its data in {}", dataDir);
        return new EmbeddedPostgresHolder(EmbeddedPostgresServer.start(dataDir));
    }

    /** A second start on the same data directory is refused with this port in its message. */
    @EventListener
    void recordHttpPort(WebServerInitializedEvent event) {
        EmbeddedPostgresHolder holder = event.getApplicationContext().getBeanProvider(EmbeddedPostgresHolder.class).getIfAvailable();
        if (holder != null && holder.server() != null && event.getWebServer().getPort() > 0) {
            holder.server().recordHttpPort(event.getWebServer().getPort());
        }
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(CreditsProperties properties, DbTimeouts timeouts, EmbeddedPostgresHolder embedded) {
        CreditsProperties.Db db = properties.db();
        HikariConfig config = new HikariConfig();
        String url = embedded.server() != null ? embedded.server().jdbcUrl() : db.url();
        String user = embedded.server() != null ? embedded.server().user() : db.user();
        String password = embedded.server() != null ? null : db.password();
        config.setJdbcUrl(url);
        config.setUsername(user);
        if (hasText(password)) config.setPassword(password);
        if (hasText(db.schema())) {
            createSchema(url, user, password, db.schema());
            config.setSchema(db.schema());
        }
        config.setMaximumPoolSize(db.poolSize());
        applyTimeouts(config, timeouts);
        config.setPoolName("credits");
        // Money paths set their own isolation where they need more; row locks do the rest.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return new HikariDataSource(config);
    }

    /**
     * Every wait on the database is bounded (see {@link DbTimeouts}): the pool's wait for a connection,
     * PostgreSQL's lock and statement timeouts for each session (set at connection start through the
     * driver's {@code options}, so they hold for every statement without a round trip), and the driver's
     * own connect and socket timeouts for a server that does not answer at all. Flyway's migrations lift
     * them for their own session ({@code spring.flyway.init-sqls} in application.yml).
     */
    static void applyTimeouts(HikariConfig config, DbTimeouts timeouts) {
        config.setConnectionTimeout(Math.max(250, timeouts.connectionTimeout().toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(1_000, timeouts.connectionTimeout().toMillis() / 2)));
        config.addDataSourceProperty("options", "-c lock_timeout=" + timeouts.lockTimeout().toMillis()
                + " -c statement_timeout=" + timeouts.statementTimeout().toMillis());
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, timeouts.connectTimeout().toSeconds())));
        config.addDataSourceProperty("socketTimeout",
                Long.toString(Math.max(1, timeouts.effectiveSocketTimeout().toSeconds())));
    }

    private static void createSchema(String url, String user, String password, String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalStateException("credits.db.schema must be a plain lower-case identifier");
        }
        Properties props = new Properties();
        props.setProperty("user", user);
        if (hasText(password)) props.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
            s.execute("create schema if not exists " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database at " + url + ": " + e.getMessage(), e);
        }
    }

    static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    /** Keeps the embedded server's lifetime tied to the context (stopped after the pool closes). */
    record EmbeddedPostgresHolder(EmbeddedPostgresServer server) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) server.close();
        }
    }
}
