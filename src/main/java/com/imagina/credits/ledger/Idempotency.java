package com.imagina.credits.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.system.ApiException;
import com.imagina.credits.system.JsonText;
import com.imagina.credits.system.ServiceClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Replays calls that carry a client-chosen id. The key is claimed by inserting it in the caller's
 * transaction: a concurrent call with the same key blocks on the primary key until the first commits,
 * then sees the stored answer. Same request → the first answer again, nothing moves; a different
 * request under the same key → 409 {@code idempotency_conflict}.
 */
@Component
public class Idempotency {
    private final JdbcClient jdbc;
    private final ServiceClock clock;
    private final CanonicalJson canonical;
    private final JsonText text;

    Idempotency(JdbcClient jdbc, ObjectMapper json, JsonText text, ServiceClock clock) {
        this.text = text;
        this.jdbc = jdbc;
        this.clock = clock;
        this.canonical = new CanonicalJson(json);
    }

    /** A stored answer: the request's hash, HTTP status and JSON body. */
    private record StoredResponse(String requestHash, int status, String body) {}

    /**
     * Runs {@code action} once per key. Returns the stored answer for a replay, or the fresh one.
     * Must be called inside a transaction that also holds the action's effects.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T> Outcome<T> once(String key, Object request, int status, Class<T> type, Supplier<T> action) {
        String hash = hash(request);
        int claimed = jdbc.sql("""
                insert into idempotency_keys (idempotency_key, request_hash, response_status, response_body, created_at)
                values (:key, :hash, 0, '', :now) on conflict do nothing""")
                .param("key", key).param("hash", hash).param("now", Timestamp.from(clock.now())).update();
        if (claimed == 0) {
            StoredResponse stored = find(key).orElseThrow();
            return new Outcome<>(replayOrConflict(stored.requestHash(), hash, stored.body(), type,
                    "This id was already used with a different request."), stored.status(), true);
        }
        T result = action.get();
        jdbc.sql("update idempotency_keys set response_status = :status, response_body = :body where idempotency_key = :key")
                .param("status", status).param("body", text.write(result)).param("key", key).update();
        return new Outcome<>(result, status, false);
    }

    /**
     * The answer stored under {@code key}, for a caller that must do slow work outside any transaction before
     * {@link #once} (a call to Stripe): a replay of the same request, or 409 {@code idempotency_conflict} for a
     * different one. Claims nothing; empty when the key has no committed answer yet.
     */
    public <T> Optional<Outcome<T>> stored(String key, Object request, Class<T> type, String conflictDetail) {
        String hash = hash(request);
        return find(key).map(stored -> new Outcome<>(
                replayOrConflict(stored.requestHash(), hash, stored.body(), type, conflictDetail), stored.status(), true));
    }

    /**
     * The one idempotency rule, for every caller that stores its first answer: the same request again
     * (equal hashes) gets that answer again; a different request under the same id is 409
     * {@code idempotency_conflict} with {@code conflictDetail}.
     */
    public <T> T replayOrConflict(String earlierHash, String hash, String earlierAnswer, Class<T> type,
            String conflictDetail) {
        return text.read(replayOrConflict(earlierHash, hash, earlierAnswer, conflictDetail), type);
    }

    /** {@link #replayOrConflict(String, String, String, Class, String)} with the stored answer as its text. */
    public String replayOrConflict(String earlierHash, String hash, String earlierAnswer, String conflictDetail) {
        if (!earlierHash.equals(hash)) {
            throw ApiException.conflict("idempotency_conflict", conflictDetail);
        }
        return earlierAnswer;
    }

    /** What {@link #once} produced, and whether it was a replay of an earlier call. */
    public record Outcome<T>(T value, int status, boolean replayed) {}

    private Optional<StoredResponse> find(String key) {
        return jdbc.sql("""
                select request_hash, response_status, response_body from idempotency_keys
                 where idempotency_key = :key""")
                .param("key", key)
                .query((rs, n) -> new StoredResponse(rs.getString(1), rs.getInt(2), rs.getString(3))).optional();
    }

    /** A stable hash of a request object (its canonical JSON). */
    public String hash(Object request) {
        return sha256(canonicalJson(request));
    }

    /**
     * JSON with object keys sorted, so the same request hashes the same whatever its key order; its bytes are
     * fixed by the stored hashes ({@link CanonicalJson}).
     */
    public String canonicalJson(Object value) {
        return canonical.write(value);
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        return HEX.formatHex(sha256Digest().digest(bytes));
    }

    private static final HexFormat HEX = HexFormat.of();
    /** Cloned per hash: cheaper than {@code getInstance}'s provider lookup, and a digest is not thread-safe. */
    private static final MessageDigest SHA_256 = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }
}
