package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Slow and huge clients, over raw sockets: bodies are bounded in size (413 {@code payload_too_large},
 * decided from Content-Length before the body is read, or as soon as a chunked body passes the limit)
 * and in time (408 and a closed connection), and a hundred connections that dribble their bodies hold
 * neither the health check nor the API. On the service before #16 (threads = pool size, no limits) each
 * of these fails: 16 slow clients stopped everything, and any body was read whole.
 */
class SlowClientTest extends ApiTest {
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(3);

    @Test
    void aDeclaredBodyOverTheLimitIsRefusedBeforeItIsSent() throws IOException {
        try (RawSocket s = new RawSocket(port)) {
            s.head("POST", "/api/v1/turns", "Authorization: Bearer " + api.engine(), "Content-Type: application/json",
                    "Content-Length: 10485760");
            String answer = s.answer(Duration.ofSeconds(10));
            assertThat(RawSocket.status(answer)).as(answer).isEqualTo(413);
            assertThat(answer).contains("application/problem+json").contains("\"payload_too_large\"");
            assertThat(s.closedByServer(Duration.ofSeconds(10))).as("the connection is closed, the body not swallowed").isTrue();
        }
        // The webhook's own limit: 256 KiB; no token needed to be refused.
        try (RawSocket s = new RawSocket(port)) {
            s.head("POST", "/api/v1/stripe/webhook", "Content-Type: application/json", "Content-Length: " + (256 * 1024 + 1));
            String answer = s.answer(Duration.ofSeconds(10));
            assertThat(RawSocket.status(answer)).as(answer).isEqualTo(413);
        }
    }

    @Test
    void bodiesUpToTheLimitAreRead() {
        // 200 KiB webhook: read and judged by its signature (400), not refused for its size.
        String big = "{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(200 * 1024) + "\"}";
        Api.Response webhook = api.raw("POST", "/api/v1/stripe/webhook", null, big,
                Map.of("Content-Type", "application/json", "Stripe-Signature", "t=1,v1=00"));
        assertThat(webhook.status()).as(webhook.toString()).isEqualTo(400);
        // 65 KiB on the API: refused; 60 KiB: read (and refused for what it says, not its size).
        String pad = "x".repeat(65 * 1024);
        Api.Response over = api.raw("POST", "/api/v1/turns", api.engine(), "{\"turnId\":\"" + pad + "\"}",
                Map.of("Content-Type", "application/json"));
        assertThat(over.status()).as(over.toString()).isEqualTo(413);
        assertThat(over.json().get("code").asText()).isEqualTo("payload_too_large");
        Api.Response under = api.raw("POST", "/api/v1/turns", api.engine(), "{\"turnId\":\"" + pad.substring(0, 60 * 1024)
                + "\"}", Map.of("Content-Type", "application/json"));
        assertThat(under.status()).as(under.toString()).isEqualTo(400);
    }

    @Test
    void aChunkedBodyIsRefusedAsSoonAsItPassesTheLimit() throws IOException {
        try (RawSocket s = new RawSocket(port)) {
            s.head("POST", "/api/v1/admin/adjustments", "Authorization: Bearer " + api.admin(),
                    "Content-Type: application/json", "Transfer-Encoding: chunked");
            byte[] chunk = new byte[16 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            for (int i = 0; i < 5; i++) s.chunk(chunk); // 80 KiB, and then nothing more: no end chunk
            String answer = s.answer(Duration.ofSeconds(10));
            assertThat(RawSocket.status(answer)).as("answered without waiting for the rest: " + answer).isEqualTo(413);
            assertThat(answer).contains("\"payload_too_large\"");
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIsDropped() throws IOException {
        try (RawSocket s = new RawSocket(port)) {
            s.head("POST", "/api/v1/stripe/webhook", "Content-Type: application/json", "Content-Length: 1000");
            s.send("{\"id\":");
            long start = System.nanoTime();
            // One byte every second: every read succeeds, the whole body never comes.
            String answer = "";
            for (int i = 0; i < 40 && answer.isEmpty(); i++) {
                try {
                    s.send(" ");
                } catch (IOException closed) {
                    break;
                }
                answer = s.answer(Duration.ofSeconds(1));
            }
            if (answer.isEmpty()) answer = s.answer(Duration.ofSeconds(2));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(RawSocket.status(answer)).as(answer).isEqualTo(408);
            assertThat(answer).contains("\"request_timeout\"");
            // credits.http.body-timeout (10 s) + one read (5 s), with room for a loaded machine
            assertThat(took).isLessThan(Duration.ofSeconds(25));
        }
    }

    @Test
    void aHundredSlowBodiesLeaveHealthAndTheApiAnswering() throws Exception {
        String account = id("slow");
        adjust(account, 1_000_000);
        List<RawSocket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                RawSocket s = new RawSocket(port);
                slow.add(s);
                s.head("POST", "/api/v1/stripe/webhook", "Content-Type: application/json", "Content-Length: 100000");
                s.send("{\"id\":\"evt_slow_" + i + "\",");
            }
            // The slow bodies keep trickling while the others are served.
            for (int round = 0; round < 3; round++) {
                for (RawSocket s : slow) s.send(" ");
                answersQuickly("health", () -> api.get("/actuator/health", null), 200);
                answersQuickly("packs", () -> api.get("/api/v1/packs", null), 200);
                answersQuickly("account", () -> api.get("/api/v1/accounts/" + account, api.admin()), 200);
                answersQuickly("authorize", () -> api.post("/api/v1/turns", api.engine(), Map.of("turnId", id("slow-t"),
                        "accountId", account, "journeyId", id("j"), "worldId", world(id("o"), true),
                        "modelId", "claude-sonnet-4-5", "maxOutputTokens", 100, "expectedInputTokens", 100)), 201);
            }
        } finally {
            slow.forEach(RawSocket::close);
        }
    }

    private static void answersQuickly(String what, Supplier<Api.Response> call, int status) {
        long start = System.nanoTime();
        Api.Response r = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.status()).as(what + ": " + r).isEqualTo(status);
        assertThat(took).as(what + " beside a hundred slow clients").isLessThan(ANSWERED_WITHIN);
    }
}
