package com.imagina.credits.turns;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SQL of one paid turn as the service sends it, written out as a pgbench script: {@code bench/run}
 * replays it without the service ("SQL alone") to show how much of a turn's cost is the database's.
 * The statements are the service's own constants — the authorize's snapshot lookup and its hold-and-
 * insert, the settle's plain read and its guarded posting — with every named parameter replaced by
 * the value of a credits-only turn of the bench ({@link #VALUES}). A parameter without a value fails,
 * so a statement that gains one cannot leave the replay behind ({@code TurnSqlReplayTest} runs the
 * script's statements as one real turn).
 *
 * <p>pgbench variables: {@code :r} (a random turn number) and {@code :a} (the account: the client's
 * number, or 0 for one hot account, from {@code -D many=1|0}). pgbench reads every {@code :name} as a
 * variable, even inside a string literal, so no value here has a colon: JSON goes in base64 and the
 * entry key spells its colon {@code chr(58)}.
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     com.imagina.credits.turns.TurnSqlReplay &gt; target/bench-turn.pgbench
 * </pre>
 */
public final class TurnSqlReplay {
    static final String TURN = "('sqlonly-t-' || :r)";
    static final String ACCOUNT = "('sqlonly-' || :a)";
    static final String JOURNEY = "('sqlonly-j-' || :a)";
    static final String WORLD = "'sqlonly-w'";
    static final String WORLD_OWNER = "'sqlonly-owner'";
    static final String EXPIRES_AT = "(now() + interval '10 minutes')";
    /** The bench's model: credits-only, so every replayed turn places a credit hold. */
    static final String MODEL = "'claude-opus-4-1'";
    /** The hold and the charge of the replayed turn, in millicredits (a Claude Opus 4.1 turn of the bench). */
    static final long HOLD = 180_000;
    static final long CHARGE = 190_718;

    static final Map<String, String> VALUES = Map.ofEntries(
            // the turn and who plays it
            Map.entry("turnId", TURN),
            Map.entry("accountId", ACCOUNT),
            Map.entry("journeyId", JOURNEY), Map.entry("reference", JOURNEY),
            Map.entry("worldId", WORLD), Map.entry("owner", WORLD_OWNER),
            Map.entry("published", "true"),
            Map.entry("modelId", MODEL),
            Map.entry("purpose", "'play'"), Map.entry("fundedBy", "'credits'"),
            Map.entry("now", "now()"), Map.entry("createdAt", "now()"), Map.entry("today", "current_date"),
            // authorize
            Map.entry("hold", Long.toString(HOLD)), Map.entry("freeTurnDay", "null"), Map.entry("allowance", "5"),
            Map.entry("maxOut", "600"), Map.entry("expectedIn", "9000"), Map.entry("expectedImages", "null"),
            Map.entry("hash", "'056a29c6b11d63c55d40f8130c4e411703276d2ba6bb9c1c24d8b22ebf97b547'"),
            Map.entry("expiresAt", EXPIRES_AT), Map.entry("expiresAtText", "cast(" + EXPIRES_AT + " as text)"),
            Map.entry("estFirst", "190000"), Map.entry("estFollow", "70000"), Map.entry("estLow", "60000"),
            Map.entry("estHigh", "260000"), Map.entry("estBasis", "'prior'"), Map.entry("cacheTtl", "300"),
            // settle: the posting
            Map.entry("amount", Long.toString(-CHARGE)), Map.entry("released", Long.toString(HOLD)),
            Map.entry("spend", Long.toString(CHARGE)), Map.entry("spendDay", "current_date"),
            Map.entry("bounded", "true"), Map.entry("overdraft", "0"),
            Map.entry("type", "'turn'"), Map.entry("fullCost", Long.toString(CHARGE)),
            Map.entry("description", "'Turn on Astral Lumen · Claude Opus 4.1'"),
            Map.entry("entryKey", "('turn' || chr(58) || " + TURN + ")"), Map.entry("adjustmentId", "null"),
            // settle: the turn closed with its usage and prices
            Map.entry("priceVersion", "1"),
            // the turn's own creation time (the service has it from the settle's read): from turn_keys
            Map.entry("turnCreatedAt", "(select k.created_at from turn_keys k where k.turn_id = " + TURN + ")"),
            Map.entry("settleHash", "'37156f65aae5b49a7832a7cb0f3508b9ff2ac1d501d05439045b558fe1347ed4'"),
            Map.entry("cost", Long.toString(CHARGE)),
            Map.entry("freeLeft", "5"), Map.entry("raw", text(Usage.JSON)), Map.entry("prices", text(Usage.PRICES)),
            Map.entry("input", "7011"), Map.entry("cacheRead", "713"), Map.entry("cacheWrite", "157"),
            Map.entry("cacheWrite1h", "2018"), Map.entry("output", "280"), Map.entry("images", "0"),
            Map.entry("webSearch", "0"), Map.entry("creditsPerUsd", "1000"), Map.entry("sharePromotional", "false"));

    /** The replayed usage (as the engine sends it) and the model's prices, as stored with the turn. */
    private static final class Usage {
        static final String JSON = "{\"anthropicUsage\":{\"cache_creation\":{\"ephemeral_1h_input_tokens\":2018,"
                + "\"ephemeral_5m_input_tokens\":157},\"cache_creation_input_tokens\":2175,"
                + "\"cache_read_input_tokens\":713,\"input_tokens\":7011,\"output_tokens\":280}}";
        static final String PRICES = "{\"inputUsdPerMTok\":\"15\",\"cacheReadUsdPerMTok\":\"1.50\","
                + "\"cacheWriteUsdPerMTok\":\"18.75\",\"cacheWrite1hUsdPerMTok\":\"30\",\"outputUsdPerMTok\":\"75\","
                + "\"usdPerImage\":null,\"usdPerWebSearch\":\"0.01\",\"longContext\":null}";
    }

    /**
     * A text value as an SQL expression without a colon in it (JSON is full of them, and pgbench would
     * read each {@code :name} as one of its variables): base64, decoded by the server.
     */
    private static String text(String value) {
        return "convert_from(decode('" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
                + "', 'base64'), 'UTF8')";
    }

    private record Step(String comment, String sql) {}

    private static final List<Step> STEPS = List.of(
            new Step("authorize, 1/2: the snapshot lookup (TurnStore.LOOKUP_SQL)", TurnStore.LOOKUP_SQL),
            new Step("authorize, 2/2: the credit hold and the turn row (TurnStore.AUTHORIZE_CREDIT_HOLD_SQL)",
                    TurnStore.AUTHORIZE_CREDIT_HOLD_SQL),
            new Step("settle, 1/2: the turn with its model and account (TurnStore.FOR_SETTLE_SQL)",
                    TurnStore.FOR_SETTLE_SQL),
            new Step("settle, 2/2: the guarded posting (TurnStore.SETTLE_POSTING_SQL)", TurnStore.SETTLE_POSTING_SQL));

    private TurnSqlReplay() {}

    /** No argument: one turn's statements in autocommit; {@code N}: N turns as the group commit sends them. */
    public static void main(String[] args) {
        System.out.print(args.length == 0 ? script() : batchScript(Integer.parseInt(args[0])));
    }

    /**
     * {@code n} turns as the group commit ({@code system/db/GroupCommit}) sends them when it forms
     * batches of {@code n}: one transaction with the n authorizations (no savepoint: a batch that fails in
     * the database is rolled back as a whole and its calls run again), one commit; then one with the n
     * settles, likewise. One pgbench transaction is n turns. {@code bench/run} replays it on as many
     * connections as the service has batches in flight ({@code BATCH_CONNS}), and the hot account's on one:
     * batches are routed by account, so one account is in one batch at a time.
     */
    public static String batchScript(int n) {
        StringBuilder out = new StringBuilder("-- Generated by com.imagina.credits.turns.TurnSqlReplay " + n
                + " from the service's statements; do not edit.\n"
                + "-- " + n + " turns per run: the authorizations as one batch (one commit), then"
                + " the settles.\n\\set a :client_id * :many\n");
        for (int k = 1; k <= n; k++) {
            out.append("\\set r").append(k).append(" random(1, 4000000000000)\n");
        }
        for (List<Step> phase : List.of(STEPS.subList(0, 2), STEPS.subList(2, 4))) {
            out.append("BEGIN;\n");
            for (int k = 1; k <= n; k++) {
                for (Step step : phase) {
                    out.append(bind(step.sql()).strip().replace("|| :r)", "|| :r" + k + ")")).append(";\n");
                }
            }
            out.append("COMMIT;\n");
        }
        return out.toString();
    }

    /** The whole pgbench script. */
    public static String script() {
        StringBuilder out = new StringBuilder("""
                -- Generated by com.imagina.credits.turns.TurnSqlReplay from the service's statements; do not edit.
                -- Each statement runs in autocommit, as the service runs them. -D many=1: an account per client.
                \\set r random(1, 4000000000000)
                \\set a :client_id * :many
                """);
        for (Step step : STEPS) {
            out.append("-- ").append(step.comment()).append('\n').append(bind(step.sql()).strip()).append(";\n");
        }
        return out.toString();
    }

    /** Statements one by one, for a test to run them: pgbench's variables left as they are. */
    static List<String> statements() {
        return STEPS.stream().map(s -> bind(s.sql()).strip()).toList();
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Replaces each {@code :name} outside string literals (and not a {@code ::} cast) by its value. */
    static String bind(String sql) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') quoted = !quoted;
            if (quoted || c != ':' || (i + 1 < sql.length() && sql.charAt(i + 1) == ':')) {
                out.append(c);
                if (!quoted && c == ':') out.append(sql.charAt(++i)); // '::' stays a cast
                continue;
            }
            var m = NAME.matcher(sql).region(i + 1, sql.length());
            if (!m.lookingAt()) {
                out.append(c);
                continue;
            }
            String value = VALUES.get(m.group());
            if (value == null) {
                throw new IllegalStateException("no replay value for parameter :" + m.group()
                        + " — the turn's SQL changed; give it one in TurnSqlReplay.VALUES");
            }
            out.append(value);
            i = m.end() - 1;
        }
        return out.toString();
    }
}
