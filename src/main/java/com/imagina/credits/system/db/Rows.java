package com.imagina.credits.system.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Reading JDBC rows: the one conversion of a {@code timestamptz} column to an {@link Instant}. */
public final class Rows {
    private Rows() {}

    /** The column as an instant, or null when it is SQL null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
