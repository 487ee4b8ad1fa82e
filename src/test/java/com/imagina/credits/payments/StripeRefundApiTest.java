package com.imagina.credits.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Refunds of real (Stripe) purchases, with stripe-java talking to a local stub of the Stripe API: the Refund is
 * asked for with its idempotency key and only once per refund id, and while Stripe is slow to answer the service
 * holds no database connection and no lock of the payment (a webhook of the same payment does not wait).
 */
class StripeRefundApiTest extends ApiTest {
    private static final String WEBHOOK_SECRET = "whsec_refund_test_" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpServer STRIPE = stub();
    private static final List<Asked> REFUNDS_ASKED = new CopyOnWriteArrayList<>();
    private static volatile CountDownLatch stripeAnswers = new CountDownLatch(0);

    record Asked(String idempotencyKey, String body) {}

    @Autowired
    HikariDataSource dataSource;

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("credits.stripe.secret-key", () -> "sk_test_fake_key_for_the_stub");
        registry.add("credits.stripe.webhook-secret", () -> WEBHOOK_SECRET);
        registry.add("credits.stripe.api-base", () -> "http://127.0.0.1:" + STRIPE.getAddress().getPort());
    }

    @AfterAll
    static void stopStripe() {
        STRIPE.stop(0);
    }

    @Test
    void aRefundAsksStripeOnceWithItsKeyAndHoldsNoConnectionWhileStripeIsSlow() throws Exception {
        String acct = id("u-stripe");
        String sessionId = checkout(acct);
        String pi = "pi_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        deliver(StripeTestEvents.completed(sessionId, acct, "pack-large", 2500, pi), "granted");
        String refundId = id("rf");
        Map<String, Object> request = Map.of("refundId", refundId, "sessionId", sessionId, "amountCents", 700,
                "reason", "Customer asked, ticket 12");

        stripeAnswers = new CountDownLatch(1);
        int askedBefore = REFUNDS_ASKED.size();
        CompletableFuture<Api.Response> refund = CompletableFuture.supplyAsync(
                () -> api.post("/api/v1/admin/refunds", api.admin(), request));
        try {
            awaitAsked(askedBefore + 1);
            // Stripe has the request and has not answered: no connection of the pool is in use, and the
            // payment intent's lock is free (a dispute webhook of this payment would go through).
            // (Polled: the service's background jobs borrow a connection now and then, for milliseconds.)
            assertThat(poolIdleOnce()).as("no connection held while Stripe answers").isTrue();
            Boolean free = jdbc.sql("""
                    select pg_try_advisory_xact_lock(hashtextextended('payment_intent:' || :pi, 0))""")
                    .param("pi", pi).query(Boolean.class).single();
            assertThat(free).as("the payment intent's lock is not held across the call to Stripe").isTrue();
        } finally {
            stripeAnswers.countDown();
        }
        Api.Response answered = refund.get(60, TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.toString()).isEqualTo(201);
        assertThat(answered.json().get("mode").asText()).isEqualTo("stripe");
        assertThat(answered.json().get("outcome").asText()).isEqualTo("requested");
        assertThat(answered.json().get("stripeRefundId").asText()).startsWith("re_stub_");
        Asked asked = REFUNDS_ASKED.get(askedBefore);
        assertThat(asked.idempotencyKey()).isEqualTo("admin-refund:" + refundId);
        assertThat(asked.body()).contains("payment_intent=" + pi).contains("amount=700");

        // The same call again is answered from the store without asking Stripe; another request under the id is 409.
        Api.Response again = api.post("/api/v1/admin/refunds", api.admin(), request);
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.json()).isEqualTo(answered.json());
        Api.Response other = api.post("/api/v1/admin/refunds", api.admin(), Map.of("refundId", refundId,
                "sessionId", sessionId, "amountCents", 800, "reason", "Customer asked, ticket 12"));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.json().get("code").asText()).isEqualTo("idempotency_conflict");
        // More than the payment is refused before Stripe is asked.
        Api.Response tooMuch = api.post("/api/v1/admin/refunds", api.admin(), Map.of("refundId", id("rf"),
                "sessionId", sessionId, "amountCents", 2501, "reason", "too much"));
        assertThat(tooMuch.status()).as(tooMuch.toString()).isEqualTo(409);
        assertThat(tooMuch.json().get("code").asText()).isEqualTo("refund_exceeds_payment");
        assertThat(REFUNDS_ASKED).hasSize(askedBefore + 1);

        // The credits move when Stripe's charge.refunded arrives: $7.00 of $25.00 of 27,500,000 millicredits.
        deliver(StripeTestEvents.chargeRefunded(pi, 2500, 700), "refunded");
        assertThat(balance(acct)).isEqualTo(27_500_000L - 7_700_000L);
        JsonNode audit = api.get("/api/v1/admin/audit?accountId=" + acct + "&limit=10", api.admin()).json();
        assertThat(audit.toString()).contains("ticket 12").contains("(stripe): requested");
    }

    private String checkout(String acct) {
        Api.Response r = api.post("/api/v1/checkout-sessions", api.player(acct), Map.of("packId", "pack-large"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("id").asText()).startsWith("cs_test_stub_");
        return r.json().get("id").asText();
    }

    private void deliver(ObjectNode event, String outcome) {
        String payload = StripeTestEvents.payload(event);
        Api.Response r = api.raw("POST", "/api/v1/stripe/webhook", null, payload, Map.of(
                "Content-Type", "application/json; charset=utf-8",
                "Stripe-Signature", StripeTestEvents.sign(payload, WEBHOOK_SECRET)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("outcome").asText()).isEqualTo(outcome);
    }

    private boolean poolIdleOnce() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (dataSource.getHikariPoolMXBean().getActiveConnections() == 0) return true;
            Thread.sleep(5);
        }
        return false;
    }

    private static void awaitAsked(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (REFUNDS_ASKED) {
            while (REFUNDS_ASKED.size() < count && System.nanoTime() < deadline) {
                REFUNDS_ASKED.wait(1_000);
            }
        }
        assertThat(REFUNDS_ASKED).as("Stripe was asked for the refund").hasSizeGreaterThanOrEqualTo(count);
    }

    /** Checkout Sessions with fresh ids, and Refunds answered only once the test lets Stripe answer. */
    private static HttpServer stub() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/v1/checkout/sessions", exchange -> {
                ObjectNode session = (ObjectNode) JSON.readTree(
                        StripeRefundApiTest.class.getResourceAsStream("/stripe/checkout.session.create.response.json"));
                String id = "cs_test_stub_" + UUID.randomUUID().toString().replace("-", "");
                session.put("id", id).put("url", "https://checkout.stripe.com/c/pay/" + id);
                answer(exchange, session);
            });
            server.createContext("/v1/refunds", exchange -> {
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                synchronized (REFUNDS_ASKED) {
                    REFUNDS_ASKED.add(new Asked(exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
                    REFUNDS_ASKED.notifyAll();
                }
                try {
                    stripeAnswers.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ObjectNode refund = JSON.createObjectNode().put("id", "re_stub_" + UUID.randomUUID().toString()
                        .replace("-", "").substring(0, 20)).put("object", "refund").put("status", "succeeded")
                        .put("currency", "usd");
                answer(exchange, refund);
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(HttpExchange exchange, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Request-Id", "req_stub");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
