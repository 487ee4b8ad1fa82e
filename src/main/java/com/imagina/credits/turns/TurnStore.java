package com.imagina.credits.turns;

import com.imagina.credits.estimates.Estimate;
import com.imagina.credits.system.db.Rows;
import com.imagina.credits.ledger.FreeTurns;
import com.imagina.credits.ledger.AccountHolds;
import com.imagina.credits.ledger.Accounts;
import com.imagina.credits.ledger.Accounts.AccountRow;
import com.imagina.credits.ledger.Ledger;
import com.imagina.credits.pricing.Model;
import com.imagina.credits.pricing.ModelCatalog;
import com.imagina.credits.worlds.World;
import com.imagina.credits.worlds.Worlds;
import com.imagina.credits.system.JsonText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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
    private final ModelCatalog catalog;

    TurnStore(JdbcClient jdbc, JsonText json, ModelCatalog catalog) {
        this.jdbc = jdbc;
        this.json = json;
        this.catalog = catalog;
    }

    /** An earlier authorization under the same turn id: what it was asked, and what it answered. */
    record Earlier(String requestHash, String authorizeResponse) {}

    /**
     * All that an authorization reads before it writes, in one snapshot query: the model, the world, an
     * earlier authorization of the same id, whether the account exists and whether it has holds overdue
     * at {@code now}, and the account the journey belongs to (none before its first turn). Overdue holds
     * are at least the hold TTL old, so a snapshot taken now sees them all.
     */
    record AuthorizeLookup(Optional<Model> model, Optional<World> world, Optional<Earlier> earlier,
            boolean accountExists, boolean hasOverdueHolds, Optional<String> journeyOwner) {}

    static final String LOOKUP_SQL = "select " + qualified("m", ModelCatalog.COLUMNS) + ", "
            + qualified("w", Worlds.COLUMNS) + "\n" + """
                   , t.request_hash, t.authorize_response, j.account_id as journey_owner,
                   exists (select 1 from accounts a where a.account_id = :accountId) as account_exists,
                   (exists (select 1 from turns o where o.account_id = :accountId and o.status = 'authorized'
                               and o.expires_at <= :now)
                    or exists (select 1 from credit_grants g where g.account_id = :accountId and g.expired_at is null
                                  and g.expires_at <= :now)) as has_overdue
              from (select 1) as one
              left join models m on m.model_id = :modelId
              left join worlds w on w.world_id = :worldId
              left join turns t on t.turn_id = :turnId
              left join journeys j on j.journey_id = :journeyId""";

    AuthorizeLookup lookup(String turnId, String accountId, String modelId, String worldId, String journeyId,
            Instant now) {
        return jdbc.sql(LOOKUP_SQL)
                .param("turnId", turnId).param("accountId", accountId).param("modelId", modelId).param("worldId", worldId)
                .param("journeyId", journeyId)
                .param("now", Timestamp.from(now))
                .query((rs, n) -> new AuthorizeLookup(catalog.mapIfPresent(rs), Worlds.mapIfPresent(rs),
                        rs.getBytes("request_hash") == null ? Optional.empty()
                                : Optional.of(new Earlier(hex(rs, "request_hash"), rs.getString("authorize_response"))),
                        rs.getBoolean("account_exists"), rs.getBoolean("has_overdue"),
                        Optional.ofNullable(rs.getString("journey_owner"))))
                .single();
    }

    Optional<Turn> find(String turnId) {
        return jdbc.sql("select " + COLUMNS + " from turns where turn_id = :turnId")
                .param("turnId", turnId).query(TurnStore::map).optional();
    }

    Optional<TurnView> view(String turnId) {
        return jdbc.sql("""
                select turn_id, account_id, journey_id, world_id, t.model_id, purpose, funded_by, status,
                       hold_millicredits, created_at, expires_at, closed_at, usage_raw::text as usage_raw,
                       input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens,
                       images, web_search_requests, coalesce(t.price_snapshot, v.prices)::text as price_snapshot,
                       t.price_version, credits_per_usd, cost_millicredits, charged_millicredits, uncollected_millicredits
                  from turns t
                  left join model_price_versions v on v.model_id = t.model_id and v.price_version = t.price_version
                 where turn_id = :turnId""")
                .param("turnId", turnId)
                .query((rs, n) -> {
                    boolean settled = "settled".equals(rs.getString("status"));
                    String raw = rs.getString("usage_raw"); // null once retention dropped it
                    return new TurnView(
                            rs.getString("turn_id"), rs.getString("account_id"), rs.getString("journey_id"),
                            rs.getString("world_id"), rs.getString("model_id"), rs.getString("purpose"),
                            rs.getString("funded_by"), rs.getString("status"), rs.getLong("hold_millicredits"),
                            Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"),
                            Rows.instant(rs, "closed_at"),
                            raw != null ? json.tree(raw) : null,
                            settled ? new TurnView.NormalizedUsageView(rs.getLong("input_tokens"),
                                    rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens"),
                                    rs.getLong("cache_write_1h_tokens"), rs.getLong("output_tokens"),
                                    rs.getLong("images"), rs.getLong("web_search_requests")) : null,
                            settled ? json.tree(rs.getString("price_snapshot")) : null,
                            (Integer) rs.getObject("price_version"),
                            rs.getBigDecimal("credits_per_usd"),
                            (Long) rs.getObject("cost_millicredits"),
                            (Long) rs.getObject("charged_millicredits"),
                            settled ? rs.getLong("uncollected_millicredits") : null);
                })
                .optional();
    }

    /** A turn locked for its settlement, with its model and its account as they were read. */
    record ForSettle(Turn turn, Model model, AccountRow account) {}

    /**
     * Written whole (the columns of {@link #map}, {@code ModelCatalog.mapIfPresent} and
     * {@code Accounts.mapRow}, read by name); {@link #forSettle} adds {@code for update of t} to lock it.
     */
    static final String FOR_SETTLE_SQL = """
            select t.turn_id, t.account_id, t.journey_id, t.world_id, t.model_id, t.purpose, t.funded_by, t.status,
                   t.hold_millicredits, t.free_turn_day, t.request_hash, t.authorize_response, t.created_at,
                   t.expires_at, t.closed_at, t.settle_hash, t.settle_response,
                   m.model_id, m.name, m.provider, m.tier, m.credits_only, m.is_default, m.prices, m.cache_ttl_seconds,
                   m.price_version,
                   a.account_id, a.balance_millicredits, a.held_millicredits, a.free_turns_day, a.free_turns_used,
                   a.daily_spend_limit_millicredits, a.spend_day, a.spent_on_spend_day_millicredits
              from turns t join models m on m.model_id = t.model_id join accounts a on a.account_id = t.account_id
             where t.turn_id = :turnId""";

    /**
     * The turn with its model and its account, in one query; {@code lock} locks the turn row (only it:
     * the account row is locked later by the posting, keeping the order turn, then account). The
     * account is a snapshot either way, read for the free turns left, which no posting changes.
     */
    Optional<ForSettle> forSettle(String turnId, boolean lock) {
        return jdbc.sql(lock ? FOR_SETTLE_SQL + " for update of t" : FOR_SETTLE_SQL)
                .param("turnId", turnId)
                .query((rs, n) -> new ForSettle(map(rs, n), catalog.mapIfPresent(rs).orElseThrow(),
                        Accounts.mapRow(rs, n)))
                .optional();
    }

    /**
     * The guard of a settlement's posting ({@code Ledger.postGuarded}): the turn, locked, still open at
     * {@code :now}, and its model still at the price version the cost was computed with. A concurrent
     * settle, void or expiry, or a price change, makes it find nothing, and nothing moves. The turn is
     * named by its whole primary key ({@code turn_id, created_at}, read by {@link #FOR_SETTLE_SQL}): one
     * partition, one unique index probe, whatever the statistics say (without them, the turn id alone was
     * ANDed with {@code turns_open_by_expiry}, which holds every open turn and, until vacuum, every settled
     * one's old version).
     */
    static final String SETTLE_GUARD = """
            select 1 from turns
             where turn_id = :turnId and created_at = :turnCreatedAt and status = 'authorized' and expires_at > :now
               and exists (select 1 from models where model_id = :modelId and price_version = :priceVersion)
               for update""";

    /**
     * The closing of a settlement's posting: the turn marked settled with its usage, prices and cost,
     * what the posting collected ({@code -entry.amount}) and what it could not ({@code cost - collected},
     * never for a free turn), and its stored answer, which carries the balance after from the CTE
     * {@code entry}. Revenue share is owed on what was collected only. The prices are kept by reference
     * ({@code price_version} → {@code model_price_versions}, V105); inline only if they differ from that row.
     */
    static final String SETTLE_CLOSING = """
            update turns set status = 'settled', closed_at = :now, settle_seq = nextval('turn_settle_seq'),
                   settle_hash = decode(:settleHash, 'hex'),
                   settle_response = json_build_object('turnId', cast(:turnId as text), 'status', 'settled',
                       'fundedBy', cast(:fundedBy as text), 'costMillicredits', cast(:cost as bigint),
                       'chargedMillicredits', -entry.amount_millicredits,
                       'uncollectedMillicredits', case when cast(:fundedBy as text) = 'free_turn' then 0
                           else cast(:cost as bigint) + entry.amount_millicredits end,
                       'balanceMillicredits', entry.balance_after_millicredits,
                       'freeTurnsRemaining', cast(:freeLeft as int))::text,
                   usage_raw = cast(:raw as jsonb), input_tokens = :input, cache_read_tokens = :cacheRead,
                   cache_write_tokens = :cacheWrite, cache_write_1h_tokens = :cacheWrite1h,
                   output_tokens = :output, images = :images, web_search_requests = :webSearch,
                   price_snapshot = case when exists (select 1 from model_price_versions v
                                                       where v.model_id = turns.model_id
                                                         and v.price_version = :priceVersion
                                                         and v.prices = cast(:prices as jsonb))
                       then null else cast(:prices as jsonb) end,
                   price_version = :priceVersion,
                   credits_per_usd = :creditsPerUsd, cost_millicredits = :cost,
                   charged_millicredits = -entry.amount_millicredits,
                   uncollected_millicredits = case when cast(:fundedBy as text) = 'free_turn' then 0
                       else cast(:cost as bigint) + entry.amount_millicredits end,
                   charged_promotional_millicredits = moved.last_spend_promo_millicredits,
                   revenue_share_base_millicredits = -entry.amount_millicredits - case
                       when cast(:sharePromotional as boolean) then 0 else moved.last_spend_promo_millicredits end
              from entry, moved
             where turns.turn_id = :turnId and turns.created_at = :turnCreatedAt
            returning turns.journey_id, turns.model_id, turns.created_at, turns.closed_at""";

    /**
     * After the closing, in the same statement: the journey's last settled turn (V108), which the next
     * authorization's {@link #ESTIMATE_PHASE_SQL} reads. "Last" in the order the journey's turns are read
     * everywhere (created_at, then closed_at): a settle of an older turn after a newer one leaves it.
     * The journey is named by the parameter (a primary-key probe; joined to {@code closing}, a planner
     * without statistics hashed the whole table), and {@code from closing} makes it happen only if the
     * turn was closed.
     */
    static final String SETTLE_JOURNEY = """
            journey as (
                update journeys
                   set last_settled_model_id = closing.model_id, last_settled_created_at = closing.created_at,
                       last_settled_at = closing.closed_at
                  from closing
                 where journeys.journey_id = :journeyId
                   and (journeys.last_settled_created_at is null
                        or (journeys.last_settled_created_at, journeys.last_settled_at)
                           < (closing.created_at, closing.closed_at)))""";

    /** The settlement's one statement ({@code Ledger.postGuarded}), built once. */
    static final String SETTLE_POSTING_SQL = Ledger.guardedPostingSql(SETTLE_GUARD, SETTLE_CLOSING, SETTLE_JOURNEY);

    /** The parameters of {@link #SETTLE_GUARD} and {@link #SETTLE_CLOSING}, beside the posting's own. */
    static Map<String, Object> settleParams(Turn turn, SettledUsage s, String settleHash, int freeLeft, Instant now,
            boolean sharePromotional) {
        Map<String, Object> p = new HashMap<>();
        p.put("now", Timestamp.from(now));
        p.put("turnCreatedAt", Timestamp.from(turn.createdAt()));
        p.put("journeyId", turn.journeyId());
        p.put("priceVersion", s.priceVersion());
        p.put("settleHash", settleHash);
        p.put("fundedBy", turn.fundedBy().wireName());
        p.put("cost", s.costMillicredits());
        p.put("freeLeft", freeLeft);
        p.put("raw", s.rawUsageJson());
        p.put("input", s.usage().inputTokens());
        p.put("cacheRead", s.usage().cacheReadTokens());
        p.put("cacheWrite", s.usage().cacheWriteTokens());
        p.put("cacheWrite1h", s.usage().cacheWrite1hTokens());
        p.put("output", s.usage().outputTokens());
        p.put("images", s.usage().images());
        p.put("webSearch", s.usage().webSearchRequests());
        p.put("prices", s.pricesJson());
        p.put("creditsPerUsd", s.creditsPerUsd());
        p.put("sharePromotional", sharePromotional);
        return p;
    }

    /** {@code a.x, a.y, ...} for a list of columns {@code x, y, ...}. */
    private static String qualified(String alias, String columns) {
        return Arrays.stream(columns.split(",")).map(c -> alias + "." + c.strip()).collect(Collectors.joining(", "));
    }

    /** Locks the turn for settle or void: turn row first, then the account row, always in that order. */
    Optional<Turn> lock(String turnId) {
        return jdbc.sql("select " + COLUMNS + " from turns where turn_id = :turnId for update")
                .param("turnId", turnId).query(TurnStore::map).optional();
    }

    /**
     * Writes an authorization in one statement: {@code accountUpdate} (a conditional update of the
     * account row named {@code :accountId}: a free-turn reservation or a credit hold) and, only if it
     * matched, the turn row, whose stored answer is built from the account row as the update left it.
     * There is no {@code on conflict}: a turn id already taken fails the whole statement (a
     * {@link org.springframework.dao.DuplicateKeyException} of {@code turn_keys}, which keeps every id unique
     * across the monthly partitions of turns, V107), so the account update never outlives a turn
     * row that was not written, and the statement is safe on its own in autocommit — one round trip,
     * the account row locked only while it runs. Returns the stored answer; empty when the update
     * matched no row (no free turn left, or the hold refused).
     */
    Optional<String> authorize(String authorizeSql, NewTurn t, LocalDate today, int freeTurnAllowance) {
        return jdbc.sql(authorizeSql)
                .param("turnId", t.turnId()).param("accountId", t.accountId()).param("journeyId", t.journeyId())
                .param("worldId", t.worldId()).param("modelId", t.modelId()).param("purpose", t.purpose().wireName())
                .param("fundedBy", t.fundedBy().wireName()).param("hold", t.holdMillicredits())
                .param("freeTurnDay", t.freeTurnDay()).param("owner", t.worldOwnerId())
                .param("published", t.worldPublished()).param("maxOut", t.maxOutputTokens())
                .param("expectedIn", t.expectedInputTokens()).param("expectedImages", t.expectedImages())
                .param("hash", t.requestHash()).param("expiresAtText", t.expiresAt().toString())
                .param("createdAt", Timestamp.from(t.createdAt())).param("expiresAt", Timestamp.from(t.expiresAt()))
                .param("today", today).param("allowance", freeTurnAllowance)
                .param("estFirst", t.estimate() == null ? null : t.estimate().firstTurnMillicredits())
                .param("estFollow", t.estimate() == null ? null : t.estimate().followUpMillicredits())
                .param("estLow", t.estimate() == null ? null : t.estimate().lowMillicredits())
                .param("estHigh", t.estimate() == null ? null : t.estimate().highMillicredits())
                .param("estBasis", t.estimate() == null ? null : t.estimate().basis())
                .param("cacheTtl", t.cacheTtlSeconds())
                .query(String.class).optional();
    }

    /** {@link #authorize} with a free-turn reservation: built once. */
    static final String AUTHORIZE_FREE_TURN_SQL = authorizeSql(FreeTurns.RESERVE_SQL);
    /** {@link #authorize} with a credit hold: built once. */
    static final String AUTHORIZE_CREDIT_HOLD_SQL = authorizeSql(AccountHolds.HOLD_SQL);

    private static String authorizeSql(String accountUpdate) {
        return "with account as (" + accountUpdate + "\n" + """
                 returning balance_millicredits, held_millicredits, free_turns_day, free_turns_used),
                key as (insert into turn_keys (turn_id, created_at) select :turnId, :createdAt from account
                 returning turn_id)
                insert into turns (turn_id, account_id, journey_id, world_id, model_id, purpose, funded_by, status,
                       hold_millicredits, free_turn_day, world_owner_id, world_published, max_output_tokens,
                       expected_input_tokens, expected_images, request_hash, authorize_response, created_at, expires_at,
                       estimate_phase, estimate_millicredits, estimate_low_millicredits, estimate_high_millicredits,
                       estimate_basis)
                select :turnId, :accountId, :journeyId, :worldId, :modelId, :purpose, :fundedBy, 'authorized',
                       :hold, :freeTurnDay, :owner, :published, :maxOut, :expectedIn, :expectedImages, decode(:hash, 'hex'),
                       json_build_object('turnId', cast(:turnId as text), 'status', 'authorized',
                           'fundedBy', cast(:fundedBy as text), 'holdMillicredits', cast(:hold as bigint),
                           'availableMillicredits', account.balance_millicredits - account.held_millicredits,
                           'freeTurnsRemaining',""" + FreeTurns.REMAINING_SQL + "\n" + """
                           , 'expiresAt', cast(:expiresAtText as text))::text,
                       :createdAt, :expiresAt,
                       warmth.phase,
                       case when warmth.phase = 'follow' then cast(:estFollow as bigint) else cast(:estFirst as bigint) end,
                       cast(:estLow as bigint), cast(:estHigh as bigint), cast(:estBasis as text)
                  from account, key,
                """ + "(" + ESTIMATE_PHASE_SQL + ") as warmth\nreturning authorize_response";
    }

    /**
     * Which of the picker's figures a play turn is measured against, decided in the authorization's own
     * statement (no round trip of its own): {@code follow} when the journey's last settled turn was on this
     * model and settled within its cache TTL — the picker's {@code cacheWarm} —, else {@code first}; null
     * without an estimate (turns that are not play). The journey's last settled turn is read from its
     * journey row (kept by {@link #SETTLE_JOURNEY}): one primary-key read, whatever the journey's length.
     * {@code offset 0} keeps it one subquery, read once (inlined, it was evaluated for each column using it).
     */
    static final String ESTIMATE_PHASE_SQL = """
            select case when cast(:estFirst as bigint) is null then null
                        when exists (select 1 from journeys last
                                      where last.journey_id = :journeyId
                                        and last.last_settled_model_id = :modelId
                                        and :createdAt <= last.last_settled_at
                                                          + make_interval(secs => cast(:cacheTtl as int)))
                        then 'follow' else 'first' end as phase
             offset 0""";

    /** {@code estimate}: what the picker shows for the model in the world (play turns; else null). */
    record NewTurn(String turnId, String accountId, String journeyId, String worldId, String modelId,
            Purpose purpose, FundedBy fundedBy, long holdMillicredits, LocalDate freeTurnDay, String worldOwnerId,
            boolean worldPublished, Long maxOutputTokens, Long expectedInputTokens, Long expectedImages,
            String requestHash, Instant createdAt, Instant expiresAt, Estimate estimate, int cacheTtlSeconds) {}

    /**
     * Voids an open, unexpired turn in one statement: the turn row (locked first, as settle does) marked
     * voided, then its account's hold released or its free turn given back; a void moves no money, so no
     * ledger entry is written. Autocommit-safe: both or neither. False when the turn was not open and unexpired at {@code now} (unknown, closed, past its
     * time, or closed by a concurrent call); nothing moved then. The turn is named by its whole primary
     * key, its {@code created_at} from {@code turn_keys}: one partition, one unique probe, whatever the
     * statistics (as the settle's guard; by the turn id alone a planner without them ANDed the index of
     * every open turn: 1.6 against 0.09 ms in a bench schema).
     */
    boolean voidIfOpen(String turnId, Instant now) {
        return jdbc.sql(VOID_SQL).param("turnId", turnId).param("now", Timestamp.from(now)).update() == 1;
    }

    static final String VOID_SQL = """
            with closed as (
                update turns set status = 'voided', closed_at = :now
                 where turn_id = :turnId
                   and created_at = (select k.created_at from turn_keys k where k.turn_id = :turnId)
                   and status = 'authorized' and expires_at > :now
             returning account_id, hold_millicredits, free_turn_day)
            """ + AccountHolds.RELEASE_CLOSED_SQL;

    static Turn map(ResultSet rs, int row) throws SQLException {
        return new Turn(
                rs.getString("turn_id"),
                rs.getString("account_id"),
                rs.getString("journey_id"),
                rs.getString("world_id"),
                rs.getString("model_id"),
                Purpose.fromWire(rs.getString("purpose")),
                FundedBy.fromWire(rs.getString("funded_by")),
                TurnStatus.fromWire(rs.getString("status")),
                rs.getLong("hold_millicredits"),
                rs.getObject("free_turn_day", LocalDate.class),
                hex(rs, "request_hash"),
                rs.getString("authorize_response"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "expires_at"),
                Rows.instant(rs, "closed_at"),
                hex(rs, "settle_hash"),
                rs.getString("settle_response"));
    }

    /**
     * A request hash as the service speaks it (lower-case hex, {@code Idempotency.sha256}); stored as bytea
     * (V106: 33 bytes instead of 65), written with {@code decode(:hash, 'hex')}.
     */
    private static String hex(ResultSet rs, String column) throws SQLException {
        byte[] bytes = rs.getBytes(column);
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }
}
