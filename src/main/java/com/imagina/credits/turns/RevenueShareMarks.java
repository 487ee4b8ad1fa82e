package com.imagina.credits.turns;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one write of {@code turns} from outside a turn's own life: a payout marks the charges it paid, in the
 * payout's transaction (the {@code turns} table is written only by this package).
 */
@Component
public class RevenueShareMarks {
    private final JdbcClient jdbc;

    RevenueShareMarks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Marks these settled turns as paid by {@code payoutId} unless already paid; returns how many it marked. Every
     * turn's {@code created_at} lies in {@code [createdFrom, createdThrough]}: the bound prunes the months when the
     * update is planned (each call is planned for its own ids).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int markPaid(long payoutId, String[] turnIds, Instant createdFrom, Instant createdThrough) {
        return jdbc.sql("""
                update turns set revenue_share_payout_id = :payoutId
                 where turn_id = any(:turnIds) and created_at >= :from and created_at <= :through
                   and revenue_share_payout_id is null""")
                .param("payoutId", payoutId).param("turnIds", turnIds)
                .param("from", Timestamp.from(createdFrom)).param("through", Timestamp.from(createdThrough)).update();
    }
}
