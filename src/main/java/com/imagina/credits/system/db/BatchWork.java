package com.imagina.credits.system.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Operator work that reads everything (reconciliation) runs in one read-only transaction whose statements
 * may take {@link DbTimeouts#batchStatementTimeout()} instead of the request bound: its statements time
 * out on the server at that bound, and the driver waits as long for their answer.
 */
@Component
public class BatchWork {
    private final TransactionTemplate readOnly;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final DbTimeouts timeouts;

    BatchWork(PlatformTransactionManager transactions, JdbcClient jdbc, DataSource dataSource, DbTimeouts timeouts) {
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.timeouts = timeouts;
    }

    /**
     * Inside a transaction that has set its own {@code statement_timeout} of {@code statementBound}
     * (reconciliation), lets the driver wait that long (plus 5 s) for answers on the transaction's
     * connection instead of the request bound; the pool restores it when the connection returns.
     */
    public void liftSocketTimeout(java.time.Duration statementBound) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.setNetworkTimeout(Runnable::run,
                    (int) Math.min(Integer.MAX_VALUE, statementBound.toMillis() + 5_000));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot lift the socket timeout: " + e.getMessage(), e);
        }
    }

    public <T> T read(Supplier<T> work) {
        return readOnly.execute(status -> {
            long millis = timeouts.batchStatementTimeout().toMillis();
            jdbc.sql("select set_config('statement_timeout', :ms, true)").param("ms", Long.toString(millis))
                    .query(String.class).single();
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, millis + 5_000));
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot lift the socket timeout: " + e.getMessage(), e);
            }
            return work.get();
        });
    }
}
