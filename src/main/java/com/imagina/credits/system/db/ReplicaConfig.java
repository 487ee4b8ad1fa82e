package com.imagina.credits.system.db;

import com.imagina.credits.system.CreditsProperties;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The read-replica pool behind {@link ReplicaReads}: {@code credits.db.replica.url}
 * ({@code CREDITS_DB_REPLICA_URL}), with the primary's user, password and schema unless
 * {@code credits.db.replica.user}/{@code password} say otherwise, and {@code pool-size} connections
 * (default 4). Its connections are read-only, and a replica that is down at start does not stop the
 * service (the pool keeps trying; those reads answer 503 meanwhile).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReplicaConfig.ReplicaProperties.class)
class ReplicaConfig {
    private static final Logger log = LoggerFactory.getLogger(ReplicaConfig.class);

    @ConfigurationProperties("credits.db.replica")
    record ReplicaProperties(String url, String user, String password, @DefaultValue("4") int poolSize) {}

    /** The replica's pool, or none; a bean of its own type so that it is closed with the context. */
    record ReplicaPool(HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            if (dataSource != null) dataSource.close();
        }
    }

    @Bean(destroyMethod = "close")
    ReplicaPool replicaPool(ReplicaProperties replica, CreditsProperties properties) {
        if (!DatabaseConfig.hasText(replica.url())) return new ReplicaPool(null);
        CreditsProperties.Db db = properties.db();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(replica.url());
        config.setUsername(DatabaseConfig.hasText(replica.user()) ? replica.user() : db.user());
        String password = DatabaseConfig.hasText(replica.user()) ? replica.password() : db.password();
        if (DatabaseConfig.hasText(password)) config.setPassword(password);
        if (DatabaseConfig.hasText(db.schema())) config.setSchema(db.schema());
        config.setMaximumPoolSize(replica.poolSize());
        config.setPoolName("credits-replica");
        config.setReadOnly(true);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setInitializationFailTimeout(-1);
        log.info("Stale-tolerant reads (history, CSV export, world earnings) go to {}", replica.url());
        return new ReplicaPool(new HikariDataSource(config));
    }

    @Bean
    ReplicaReads replicaReads(ReplicaPool pool, JdbcClient primaryJdbc, DataSource primary,
            PlatformTransactionManager primaryTransactions) {
        if (pool.dataSource() == null) return new ReplicaReads(primaryJdbc, primary, primaryTransactions, false);
        return new ReplicaReads(JdbcClient.create(pool.dataSource()), pool.dataSource(),
                new DataSourceTransactionManager(pool.dataSource()), true);
    }
}
