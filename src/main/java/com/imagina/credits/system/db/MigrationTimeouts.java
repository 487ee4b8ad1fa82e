package com.imagina.credits.system.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.springframework.stereotype.Component;

/**
 * Migrations are not bounded by the request timeouts of {@link DbTimeouts}: building an index on a large
 * table may take minutes. Inside each migration's own transaction, the lock and statement timeouts are
 * lifted ({@code set local}, so they come back at its end) and the driver's socket timeout too (the pool
 * restores it when the connection is returned).
 */
@Component
class MigrationTimeouts implements Callback {
    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Connection connection = context.getConnection();
        try (Statement s = connection.createStatement()) {
            s.execute("set local statement_timeout = 0; set local lock_timeout = 0");
            connection.setNetworkTimeout(Runnable::run, 0);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot lift the timeouts for a migration: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "credits-migration-timeouts";
    }
}
