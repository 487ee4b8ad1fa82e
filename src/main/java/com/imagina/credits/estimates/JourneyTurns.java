package com.imagina.credits.estimates;

import com.imagina.credits.system.db.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A journey's settled turns, newest first: for cache warmth and the cost panel. A journey belongs to the
 * account of its first turn (table {@code journeys}); only that account's turns are ever read here, so
 * no panel shows another account's turns (older data may hold turns of two accounts in one journey).
 */
@Component
public class JourneyTurns {
    private final JdbcClient jdbc;

    JourneyTurns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record RecentTurn(String turnId, String accountId, String worldId, String modelId, String fundedBy,
            long costMillicredits, long chargedMillicredits, long inputTokens, long cacheReadTokens,
            long outputTokens, Instant settledAt) {}

    public List<RecentTurn> recent(String journeyId, int limit) {
        return jdbc.sql("""
                select turn_id, account_id, world_id, model_id, funded_by, cost_millicredits, charged_millicredits,
                       input_tokens, cache_read_tokens, output_tokens, closed_at
                  from turns
                 where journey_id = :journey and status = 'settled'
                   and account_id = (select account_id from journeys where journey_id = :journey)
                 order by created_at desc, closed_at desc limit :limit""")
                .param("journey", journeyId).param("limit", limit)
                .query((rs, n) -> new RecentTurn(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                        Rows.instant(rs, "closed_at")))
                .list();
    }

    Optional<RecentTurn> last(String journeyId) {
        return recent(journeyId, 1).stream().findFirst();
    }

    /** The journey's owner and world even before any turn settled (from its first authorization). */
    public Optional<String[]> ownerAndWorld(String journeyId) {
        return jdbc.sql("""
                select j.account_id, t.world_id
                  from journeys j
                  join lateral (select world_id from turns
                                 where journey_id = j.journey_id and account_id = j.account_id
                                 order by created_at desc limit 1) t on true
                 where j.journey_id = :journey""")
                .param("journey", journeyId)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).optional();
    }

    /** Whether the provider's cache is still warm for {@code modelId}: the last turn used it within the TTL. */
    public static boolean cacheWarm(Optional<RecentTurn> last, String modelId, int cacheTtlSeconds, Instant now) {
        return last.isPresent() && last.get().modelId().equals(modelId) && last.get().settledAt() != null
                && !now.isAfter(last.get().settledAt().plusSeconds(cacheTtlSeconds));
    }
}
