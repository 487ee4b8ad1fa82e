package com.imagina.credits.turns;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** A journey belongs to the account of its first turn (table {@code journeys}). */
@Component
class TurnJourneys {
    private final JdbcClient jdbc;

    TurnJourneys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims {@code journeyId} for {@code accountId} in the caller's transaction; true when it is (now
     * or already) that account's. A concurrent first turn of another account waits on the primary key
     * and then finds the journey taken: exactly one account ever owns it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean claim(String journeyId, String accountId, Instant now) {
        jdbc.sql("""
                insert into journeys (journey_id, account_id, created_at) values (:journeyId, :accountId, :now)
                on conflict (journey_id) do nothing""")
                .param("journeyId", journeyId).param("accountId", accountId).param("now", Timestamp.from(now))
                .update();
        return jdbc.sql("select account_id from journeys where journey_id = :journeyId")
                .param("journeyId", journeyId).query(String.class).single().equals(accountId);
    }
}
