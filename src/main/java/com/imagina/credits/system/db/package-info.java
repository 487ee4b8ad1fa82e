/**
 * The database: the embedded PostgreSQL of a default run (zonky binaries, data under {@code ./data}, run as
 * an unprivileged user when started as root, a data directory in use refused), the pool and every bound on
 * waiting for it ({@link com.imagina.credits.system.db.DbTimeouts}: connection, lock, statement, socket),
 * the classification of a database failure as "unavailable, retry" (503) ({@link
 * com.imagina.credits.system.db.DatabaseUnavailable}), read replicas for what may be stale ({@link
 * com.imagina.credits.system.db.ReplicaReads}), and JDBC row helpers ({@link com.imagina.credits.system.db.Rows}).
 */
package com.imagina.credits.system.db;
