package com.imagina.credits.turns;

import com.imagina.credits.ledger.Ledger;
import com.imagina.credits.system.JsonText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** SQL of the turns table, one method per statement. */
@Component
class TurnStore {
    private static final String COLUMNS = """
            turn_id, account_id, journey_id, world_id, model_id, purpose, funded_by, status, hold_millicredits,
            free_turn_day, request_hash, authorize_response, created_at, expires_at, closed_at, settle_hash,
            settle_response""";

    private final JdbcClient jdbc;
    private final JsonText json;

    TurnStore(JdbcClient jdbc, JsonText json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<Turn> find(String turnId) {
        return jdbc.sql("select " + COLUMNS + " from turns where turn_id = :id")
                .param("id", turnId).query(TurnStore::map).optional();
    }

    Optional<TurnView> view(String turnId) {
        return jdbc.sql("""
                select turn_id, account_id, journey_id, world_id, model_id, purpose, funded_by, status,
                       hold_millicredits, created_at, expires_at, closed_at, usage_raw::text as usage_raw,
                       input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens,
                       images, web_search_requests, price_snapshot::text as price_snapshot, price_version,
                       credits_per_usd, cost_millicredits, charged_millicredits
                  from turns where turn_id = :id""")
                .param("id", turnId)
                .query((rs, n) -> {
                    boolean settled = rs.getString("usage_raw") != null;
                    return new TurnView(
                            rs.getString("turn_id"), rs.getString("account_id"), rs.getString("journey_id"),
                            rs.getString("world_id"), rs.getString("model_id"), rs.getString("purpose"),
                            rs.getString("funded_by"), rs.getString("status"), rs.getLong("hold_millicredits"),
                            Ledger.instant(rs, "created_at"), Ledger.instant(rs, "expires_at"),
                            Ledger.instant(rs, "closed_at"),
                            settled ? json.tree(rs.getString("usage_raw")) : null,
                            settled ? new TurnView.NormalizedUsageView(rs.getLong("input_tokens"),
                                    rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens"),
                                    rs.getLong("cache_write_1h_tokens"), rs.getLong("output_tokens"),
                                    rs.getLong("images"), rs.getLong("web_search_requests")) : null,
                            settled ? json.tree(rs.getString("price_snapshot")) : null,
                            (Integer) rs.getObject("price_version"),
                            rs.getBigDecimal("credits_per_usd"),
                            (Long) rs.getObject("cost_millicredits"),
                            (Long) rs.getObject("charged_millicredits"));
                })
                .optional();
    }

    /** Locks the turn for settle or void: turn row first, then the account row, always in that order. */
    Optional<Turn> lock(String turnId) {
        return jdbc.sql("select " + COLUMNS + " from turns where turn_id = :id for update")
                .param("id", turnId).query(TurnStore::map).optional();
    }

    /** Inserts a new authorization; false when the id is taken (a concurrent or earlier call). */
    boolean insert(NewTurn t) {
        return jdbc.sql("""
                insert into turns (turn_id, account_id, journey_id, world_id, model_id, purpose, funded_by, status,
                       hold_millicredits, free_turn_day, world_owner_id, world_published, max_output_tokens,
                       expected_input_tokens, expected_images, request_hash, authorize_response, created_at, expires_at)
                values (:turnId, :accountId, :journeyId, :worldId, :modelId, :purpose, :fundedBy, 'authorized',
                       :hold, :freeTurnDay, :owner, :published, :maxOut, :expectedIn, :expectedImages, :hash,
                       :response, :createdAt, :expiresAt)
                on conflict (turn_id) do nothing""")
                .param("turnId", t.turnId()).param("accountId", t.accountId()).param("journeyId", t.journeyId())
                .param("worldId", t.worldId()).param("modelId", t.modelId()).param("purpose", t.purpose().wireName())
                .param("fundedBy", t.fundedBy()).param("hold", t.holdMillicredits())
                .param("freeTurnDay", t.freeTurnDay()).param("owner", t.worldOwnerId())
                .param("published", t.worldPublished()).param("maxOut", t.maxOutputTokens())
                .param("expectedIn", t.expectedInputTokens()).param("expectedImages", t.expectedImages())
                .param("hash", t.requestHash()).param("response", t.authorizeResponse())
                .param("createdAt", Timestamp.from(t.createdAt())).param("expiresAt", Timestamp.from(t.expiresAt()))
                .update() == 1;
    }

    record NewTurn(String turnId, String accountId, String journeyId, String worldId, String modelId,
            Purpose purpose, String fundedBy, long holdMillicredits, LocalDate freeTurnDay, String worldOwnerId,
            boolean worldPublished, Long maxOutputTokens, Long expectedInputTokens, Long expectedImages,
            String requestHash, String authorizeResponse, Instant createdAt, Instant expiresAt) {}

    void markSettled(String turnId, SettledUsage s, String settleHash, String settleResponse, Instant now) {
        jdbc.sql("""
                update turns set status = 'settled', closed_at = :now, settle_seq = nextval('turn_settle_seq'), settle_hash = :hash, settle_response = :response,
                       usage_raw = cast(:raw as jsonb), input_tokens = :input, cache_read_tokens = :cacheRead,
                       cache_write_tokens = :cacheWrite, cache_write_1h_tokens = :cacheWrite1h,
                       output_tokens = :output, images = :images, web_search_requests = :webSearch,
                       price_snapshot = cast(:prices as jsonb), price_version = :priceVersion,
                       credits_per_usd = :creditsPerUsd, cost_millicredits = :cost, charged_millicredits = :charged
                 where turn_id = :id and status = 'authorized'""")
                .param("id", turnId).param("now", Timestamp.from(now)).param("hash", settleHash)
                .param("response", settleResponse).param("raw", s.rawUsageJson())
                .param("input", s.usage().inputTokens()).param("cacheRead", s.usage().cacheReadTokens())
                .param("cacheWrite", s.usage().cacheWriteTokens()).param("cacheWrite1h", s.usage().cacheWrite1hTokens())
                .param("output", s.usage().outputTokens()).param("images", s.usage().images())
                .param("webSearch", s.usage().webSearchRequests()).param("prices", s.pricesJson())
                .param("priceVersion", s.priceVersion()).param("creditsPerUsd", s.creditsPerUsd())
                .param("cost", s.costMillicredits()).param("charged", s.chargedMillicredits())
                .update();
    }

    void markClosed(String turnId, TurnStatus status, Instant now) {
        jdbc.sql("update turns set status = :status, closed_at = :now where turn_id = :id and status = 'authorized'")
                .param("id", turnId).param("status", status.wireName()).param("now", Timestamp.from(now)).update();
    }

    static Turn map(ResultSet rs, int row) throws SQLException {
        return new Turn(
                rs.getString("turn_id"),
                rs.getString("account_id"),
                rs.getString("journey_id"),
                rs.getString("world_id"),
                rs.getString("model_id"),
                Purpose.fromWire(rs.getString("purpose")),
                rs.getString("funded_by"),
                TurnStatus.fromWire(rs.getString("status")),
                rs.getLong("hold_millicredits"),
                rs.getObject("free_turn_day", LocalDate.class),
                rs.getString("request_hash"),
                rs.getString("authorize_response"),
                Ledger.instant(rs, "created_at"),
                Ledger.instant(rs, "expires_at"),
                Ledger.instant(rs, "closed_at"),
                rs.getString("settle_hash"),
                rs.getString("settle_response"));
    }
}
