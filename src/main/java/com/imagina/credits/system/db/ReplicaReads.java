package com.imagina.credits.system.db;

import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Where reads that may be a little stale go: the transaction history (page and CSV) and a world's
 * earnings. With {@code CREDITS_DB_REPLICA_URL} (e.g.
 * {@code jdbc:postgresql://db-a,db-b/credits?targetServerType=preferSecondary}) they run on a pool of their
 * own, read-only, on a standby when one is up; without it they use the primary's pool. Nothing that
 * decides about money reads through here: holds, settles, voids, balances, the daily cap, free turns,
 * grants, payouts, reconciliation, estimates and calibration all read the primary (see README
 * "Operations"), so a standby's lag can make a history page late, never a charge wrong.
 *
 * <p>Not a {@link DataSource} bean on purpose: a second one would make Spring Boot's single-candidate
 * configuration (the primary's JdbcClient, transaction manager, Flyway) back off.
 */
public record ReplicaReads(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions,
        boolean separate) {}
