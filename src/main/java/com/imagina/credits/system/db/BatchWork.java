package com.imagina.credits.system.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Operator work that reads everything (reconciliation) sets its own {@code statement_timeout} inside its
 * transaction; the driver must then wait as long for an answer, not the request bound
 * ({@link DbTimeouts#socketTimeout()}).
 */
@Component
public class BatchWork {
    private final DataSource dataSource;

    BatchWork(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inside a transaction that has set its own {@code statement_timeout} of {@code statementBound}, lets
     * the driver wait that long (plus 5 s) for answers on the transaction's connection; the pool restores
     * the connection's timeout when it returns.
     */
    public void liftSocketTimeout(Duration statementBound) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.setNetworkTimeout(Runnable::run,
                    (int) Math.min(Integer.MAX_VALUE, statementBound.toMillis() + 5_000));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot lift the socket timeout: " + e.getMessage(), e);
        }
    }
}
