package com.imagina.credits.proof;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every write a client had acknowledged (an authorization 201, a settle or void 200, an adjustment 201,
 * a purchase's webhook 200), with when the answer arrived. The failover test looks each one up in the
 * database it failed over to: an acknowledged write the new primary does not have is a lost one.
 */
final class Acknowledged {
    enum Kind {
        AUTHORIZE("select turn_id from turns where turn_id = any(?)"),
        SETTLE("select turn_id from turns where status = 'settled' and turn_id = any(?)"),
        VOID("select turn_id from turns where status = 'voided' and turn_id = any(?)"),
        ADJUSTMENT("select substr(entry_key, 12) from entry_keys where entry_key = any(array(select 'adjustment:' || x from unnest(?::text[]) x))"),
        PURCHASE("select substr(entry_key, 10) from entry_keys where entry_key = any(array(select 'purchase:' || x from unnest(?::text[]) x))");

        /** Of the ids given as a text array, those the database has. */
        final String present;

        Kind(String present) {
            this.present = present;
        }
    }

    record Ack(Kind kind, String id, long nanos) {}

    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();

    void add(Kind kind, String id) {
        acks.add(new Ack(kind, id, System.nanoTime()));
    }

    /** Acknowledged before {@code nanos} ({@link System#nanoTime}). */
    List<Ack> before(long nanos) {
        return acks.stream().filter(a -> a.nanos() < nanos).toList();
    }

    int size() {
        return acks.size();
    }

    /** The acknowledged writes among {@code acks} that the database behind {@code c} does not have. */
    static List<Ack> missing(Connection c, List<Ack> acks) throws SQLException {
        Map<Kind, List<Ack>> byKind = new EnumMap<>(Kind.class);
        acks.forEach(a -> byKind.computeIfAbsent(a.kind(), k -> new ArrayList<>()).add(a));
        List<Ack> missing = new ArrayList<>();
        for (Map.Entry<Kind, List<Ack>> e : byKind.entrySet()) {
            Set<String> present = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement(e.getKey().present)) {
                s.setArray(1, c.createArrayOf("text", e.getValue().stream().map(Ack::id).toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) present.add(rs.getString(1));
                }
            }
            e.getValue().stream().filter(a -> !present.contains(a.id())).forEach(missing::add);
        }
        return missing;
    }
}
