package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Odd input is a 4xx that changes nothing, never a 500 (contract v1.1): a NUL in any string of any JSON
 * body or in the query, a key twice in one object, ids that are empty, over 200 characters or hold control
 * characters (in paths and bodies), validly signed tokens with malformed claims or without {@code exp}, and
 * signed Stripe events of odd shapes. Before #16 each of these was a 500, a 201, or an accepted token.
 */
class HostileInputTest extends ApiTest {

    @Test
    void aNulInAnyStringOfAnyBodyIs400AndChangesNothing() {
        String account = id("nul");
        adjust(account, 1_000_000);
        String world = world(id("nul-owner"), true);
        String turn = id("nul-t");
        // In an id, in a title, in a key, deep inside a usage object.
        for (String body : List.of(
                authorize(turn + "\\u0000", account, world),
                authorize(turn, account, world).replace("\"journeyId\":\"j-", "\"journeyId\":\"j\\u0000"))) {
            assertRefused(api.post("/api/v1/turns", api.engine(), body), 400, "invalid_request");
        }
        assertRefused(api.put("/api/v1/worlds/" + id("w"), api.engine(),
                "{\"ownerId\":\"" + account + "\",\"title\":\"a\\u0000b\",\"published\":true}"), 400, "invalid_request");
        assertRefused(api.post("/api/v1/admin/adjustments", api.admin(), "{\"adjustmentId\":\"" + id("adj")
                + "\",\"accountId\":\"" + account + "\",\"amountMillicredits\":5,\"reason\":\"x\\u0000\"}"), 400, "invalid_request");
        assertThat(api.post("/api/v1/turns", api.engine(), authorize(turn, account, world)).status()).isEqualTo(201);
        assertRefused(api.post("/api/v1/turns/" + turn + "/settle", api.engine(),
                "{\"usage\":{\"inputTokens\":10,\"outputTokens\":5,\"model\\u0000\":\"x\"}}"), 400, "invalid_request");
        assertRefused(api.post("/api/v1/turns/" + turn + "/settle", api.engine(),
                "{\"anthropicUsage\":{\"input_tokens\":10,\"output_tokens\":5,\"service_tier\":\"\\u0000\"}}"), 400, "invalid_request");
        // An escaped backslash before "u0000" is text, not a NUL.
        assertThat(api.post("/api/v1/admin/adjustments", api.admin(), "{\"adjustmentId\":\"" + id("adj")
                + "\",\"accountId\":\"" + account + "\",\"amountMillicredits\":5,\"reason\":\"a\\\\u0000\"}").status()).isEqualTo(201);
        assertRefused(api.get("/api/v1/accounts/" + account + "/transactions?cursor=%00", api.admin()), 400, "invalid_request");
        assertThat(balance(account)).isEqualTo(1_000_005);
        assertReconciled();
    }

    @Test
    void aKeyTwiceInOneObjectIs400() {
        String account = id("dup");
        String body = "{\"adjustmentId\":\"" + id("adj") + "\",\"accountId\":\"" + account
                + "\",\"amountMillicredits\":5,\"amountMillicredits\":5000000,\"reason\":\"dup\"}";
        assertRefused(api.post("/api/v1/admin/adjustments", api.admin(), body), 400, "invalid_request");
        assertRefused(api.put("/api/v1/accounts/" + account + "/limits", api.player(account),
                "{\"dailySpendLimitMillicredits\":1,\"dailySpendLimitMillicredits\":null}"), 400, "invalid_request");
        assertThat(api.get("/api/v1/accounts/" + account, api.admin()).json().path("balanceMillicredits").asLong(0)).isZero();
    }

    @Test
    void idsAreOneTo200CharactersWithoutControlCharacters() {
        String account = id("ids");
        adjust(account, 1_000_000);
        String world = world(id("ids-owner"), true);
        for (String bad : List.of("", "x".repeat(201), "a\\nb", "a\\tb", "a\\u007fb")) {
            assertRefused(api.post("/api/v1/turns", api.engine(), authorize(bad, account, world)), 400, "invalid_request");
            assertRefused(api.post("/api/v1/admin/adjustments", api.admin(), "{\"adjustmentId\":\"" + bad
                    + "\",\"accountId\":\"" + account + "\",\"amountMillicredits\":5,\"reason\":\"r\"}"), 400, "invalid_request");
            assertRefused(api.post("/api/v1/admin/adjustments", api.admin(), "{\"adjustmentId\":\"" + id("adj")
                    + "\",\"accountId\":\"" + bad + "\",\"amountMillicredits\":5,\"reason\":\"r\"}"), 400, "invalid_request");
        }
        String longest = "x".repeat(190) + id("").substring(1, 11);
        assertThat(api.post("/api/v1/turns", api.engine(), authorize(longest, account, world)).status()).isEqualTo(201);
        for (String path : List.of("/api/v1/accounts/" + "y".repeat(201), "/api/v1/accounts/a%0Ab",
                "/api/v1/turns/a%01b", "/api/v1/worlds/" + "w".repeat(300) + "/earnings",
                "/api/v1/journeys/j%1B/costs")) {
            assertRefused(api.get(path, api.admin()), 400, "invalid_request");
        }
        assertThat(api.get("/api/v1/turns/" + longest, api.engine()).status()).as("a 200-character id is an id").isEqualTo(200);
        assertReconciled();
    }

    @Test
    void signedTokensWithMalformedClaimsOrWithoutExpiryAre401() {
        long now = Instant.now().getEpochSecond();
        for (String claims : List.of(
                "{\"sub\":\"a\",\"roles\":\"admin\",\"exp\":" + (now + 600) + "}",
                "{\"sub\":\"a\",\"roles\":[\"admin\",7],\"exp\":" + (now + 600) + "}",
                "{\"sub\":\"a\",\"roles\":{\"admin\":true},\"exp\":" + (now + 600) + "}",
                "{\"sub\":\"a\",\"roles\":[[\"admin\"]],\"exp\":" + (now + 600) + "}",
                "{\"sub\":\"a\",\"roles\":[\"admin\"]}",
                "{\"sub\":{\"id\":\"a\"},\"roles\":[\"admin\"],\"exp\":" + (now + 600) + "}",
                "{\"sub\":\"a\",\"roles\":[\"admin\"],\"exp\":" + (now + 600) + ",\"iat\":" + (now + 900) + ",\"nbf\":\"x\"}",
                "{\"sub\":\"" + "s".repeat(201) + "\",\"roles\":[\"player\"],\"exp\":" + (now + 600) + "}",
                "{\"sub\":\"a\",\"roles\":[\"admin\"],\"exp\":\"tomorrow\"}")) {
            String token = jwt(claims);
            Api.Response r = api.get("/api/v1/admin/clock", token);
            assertThat(r.status()).as(claims + " → " + r).isEqualTo(401);
            assertThat(r.json().get("code").asText()).isEqualTo("unauthorized");
            assertThat(api.get("/api/v1/accounts/me", token).status()).as(claims).isEqualTo(401);
        }
        // Well-formed: still accepted.
        assertThat(api.get("/api/v1/admin/clock", jwt("{\"sub\":\"a\",\"roles\":[\"admin\"],\"exp\":" + (now + 600) + "}"))
                .status()).isEqualTo(200);
        assertThat(api.get("/api/v1/admin/clock", jwt("{\"sub\":\"a\",\"exp\":" + (now + 600) + "}")).status()).isEqualTo(403);
    }

    @Test
    void signedStripeEventsOfOddShapesAreNeverA5xx() {
        String buyer = id("odd-buyer");
        List<String> events = List.of(
                // no api_version, no created, no livemode
                "{\"id\":\"" + id("evt") + "\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":"
                        + "{\"id\":\"" + id("cs") + "\",\"object\":\"checkout.session\",\"payment_status\":\"paid\",\"amount_total\":500,"
                        + "\"currency\":\"usd\",\"client_reference_id\":\"" + buyer + "\",\"metadata\":{\"packId\":\"pack-small\"}}}}",
                // a negative amount
                event("checkout.session.completed", "{\"id\":\"" + id("cs") + "\",\"object\":\"checkout.session\","
                        + "\"payment_status\":\"paid\",\"amount_total\":-500,\"currency\":\"usd\",\"client_reference_id\":\""
                        + buyer + "\",\"metadata\":{\"packId\":\"pack-small\"}}"),
                event("charge.refunded", "{\"id\":\"" + id("ch") + "\",\"object\":\"charge\",\"payment_intent\":\"pi_x\","
                        + "\"amount\":-1000,\"amount_refunded\":-5000,\"currency\":\"usd\"}"),
                event("charge.refunded", "{\"id\":\"" + id("ch") + "\",\"object\":\"charge\",\"payment_intent\":\"pi_y\","
                        + "\"amount\":1000,\"amount_refunded\":5000,\"currency\":\"usd\"}"),
                // wrong types everywhere
                event("checkout.session.completed", "{\"id\":7,\"object\":\"checkout.session\",\"payment_status\":[1],"
                        + "\"amount_total\":\"500\",\"currency\":{},\"client_reference_id\":true,\"metadata\":\"x\"}"),
                event("charge.refunded", "{\"id\":[],\"amount\":\"x\",\"amount_refunded\":1e400,\"payment_intent\":{\"id\":5}}"),
                event("checkout.session.completed", "\"just a string\""),
                "{\"id\":\"" + id("evt") + "\",\"object\":\"event\",\"api_version\":7,\"type\":\"charge.refunded\",\"data\":[]}",
                "{\"id\":\"" + id("evt") + "\",\"type\":\"checkout.session.completed\",\"data\":null,\"livemode\":\"yes\"}");
        for (String payload : events) {
            Api.Response r = api.raw("POST", "/api/v1/stripe/webhook", null, payload,
                    Map.of("Content-Type", "application/json", "Stripe-Signature", StripeEvent.signature(payload, "whsec_test_shared_by_all_instances", Instant.now().getEpochSecond())));
            assertThat(r.status()).as(payload + " → " + r).isIn(200, 400);
        }
        assertThat(api.get("/api/v1/accounts/" + buyer, api.admin()).json().path("balanceMillicredits").asLong(0))
                .as("nothing granted for a negative or malformed event").isLessThanOrEqualTo(5_000_000);
        assertReconciled();
    }

    private static String event(String type, String object) {
        return "{\"id\":\"" + id("evt") + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":"
                + Instant.now().getEpochSecond() + ",\"livemode\":false,\"type\":\"" + type + "\",\"data\":{\"object\":"
                + object + "}}";
    }

    private static String authorize(String turnId, String account, String world) {
        return "{\"turnId\":\"" + turnId + "\",\"accountId\":\"" + account + "\",\"journeyId\":\"j-" + account + "\",\"worldId\":\""
                + world + "\",\"modelId\":\"claude-sonnet-4-5\",\"maxOutputTokens\":100,\"expectedInputTokens\":100}";
    }

    private static void assertRefused(Api.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).as(r.toString()).isEqualTo(code);
    }

    private static String jwt(String claims) {
        return jwt(SECRET, claims);
    }

    /** A token signed with {@code secret} (HS256) carrying exactly {@code claims}, however odd. */
    static String jwt(String secret, String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
