package com.imagina.credits.turns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.imagina.credits.ledger.Idempotency;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hashes a running service stores with an authorization ({@code request_hash}) and a settlement
 * ({@code settle_hash}) are SHA-256 of the canonical JSON as it was first defined: the request converted to
 * plain maps by the service's own mapper and written with its keys sorted. Earlier turns' stored hashes must
 * keep matching their replays, so the service's faster writer ({@code ledger/CanonicalJson}) is checked here
 * against that definition, through real HTTP and the rows the service wrote, with bodies whose keys come in
 * another order, strings that need escapes and numbers in several forms.
 */
class RequestHashApiTest extends ApiTest {
    @Autowired
    ObjectMapper mapper;

    @Test
    void storedHashesAreThoseOfTheReferenceCanonicalJson() throws Exception {
        String account = id("hash");
        adjust(account, 50_000_000);
        String world = world(id("hash-owner"), true);
        String turnId = id("hash-t") + "-é😀";
        String journey = id("hash-j") + " \"<&>\\\u2028";
        String body = "{\"modelId\": \"" + TurnsApiTest.SONNET + "\", \"worldId\": \"" + world + "\", \"turnId\": "
                + mapper.writeValueAsString(turnId) + ", \"journeyId\": " + mapper.writeValueAsString(journey)
                + ", \"expectedInputTokens\": 120, \"accountId\": \"" + account + "\", \"maxOutputTokens\": 64}";
        Api.Response authorized = api.raw("POST", "/api/v1/turns", api.engine(), body,
                Map.of("Content-Type", "application/json"));
        assertThat(authorized.status()).as(authorized.toString()).isEqualTo(201);

        AuthorizeRequest request = mapper.readValue(body, AuthorizeRequest.class).canonical();
        assertThat(storedHex("request_hash", turnId)).isEqualTo(Idempotency.sha256(reference(request)));

        String usage = "{\"usage\": {\"outputTokens\": 30, \"inputTokens\": 120},"
                + " \"providerNote\": {\"z\": [1, 2.50, -0.0, 12345678901234567890], \"a\": \"x\\u00e9\\n\"}}";
        Api.Response settled = api.raw("POST", "/api/v1/turns/" + URLEncoder.encode(turnId, StandardCharsets.UTF_8)
                + "/settle", api.engine(), usage,
                Map.of("Content-Type", "application/json"));
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        assertThat(storedHex("settle_hash", turnId)).isEqualTo(Idempotency.sha256(reference(mapper.readTree(usage))));
    }

    /** The definition of the canonical JSON: plain maps and lists, keys sorted, the service's mapper. */
    private String reference(Object value) throws Exception {
        return mapper.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .writeValueAsString(mapper.convertValue(value, Object.class));
    }

    private String storedHex(String column, String turnId) {
        return jdbc.sql("select encode(" + column + ", 'hex') from turns where turn_id = :t").param("t", turnId)
                .query(String.class).single();
    }
}
