package com.imagina.credits.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.model.checkout.Session;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * stripe-java, unmodified, against a local stub of the Stripe API: the Checkout Session request it
 * sends for a pack carries the fields the grant depends on. The client is built per test with its own
 * key and API base; the library's global settings are never touched.
 */
class StripeCheckoutRequestTest {
    private HttpServer server;
    private final AtomicReference<Captured> captured = new AtomicReference<>();

    record Captured(String method, String path, String authorization, String contentType, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            captured.set(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            byte[] response;
            try (InputStream in = getClass().getResourceAsStream("/stripe/checkout.session.create.response.json")) {
                response = in.readAllBytes();
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Request-Id", "req_stub");
            exchange.sendResponseHeaders(200, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theCheckoutSessionRequestCarriesThePackTheBuyerAndTheUrls() throws Exception {
        String apiKeyBefore = Stripe.apiKey;
        String apiBaseBefore = Stripe.getApiBase();
        StripeClient client = StripeClient.builder()
                .setApiKey("sk_test_fake_key_for_the_stub")
                .setApiBase("http://127.0.0.1:" + server.getAddress().getPort())
                .setMaxNetworkRetries(0)
                .build();
        Pack large = new Pack("pack-large", "Large", 2500, "usd", 25_000_000, 2_500_000);

        Session session = new StripeCheckout(client).create(large, "u-stub", "https://credits.example.com");

        assertThat(session.getId()).startsWith("cs_test_a1Stub");
        assertThat(session.getUrl()).startsWith("https://checkout.stripe.com/c/pay/");
        Captured request = captured.get();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/checkout/sessions");
        assertThat(request.authorization()).isEqualTo("Bearer sk_test_fake_key_for_the_stub");
        assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
        Map<String, String> form = decode(request.body());
        assertThat(form).containsEntry("mode", "payment")
                .containsEntry("client_reference_id", "u-stub")
                .containsEntry("metadata[packId]", "pack-large")
                .containsEntry("metadata[accountId]", "u-stub")
                .containsEntry("line_items[0][quantity]", "1")
                .containsEntry("line_items[0][price_data][currency]", "usd")
                .containsEntry("line_items[0][price_data][unit_amount]", "2500")
                .containsEntry("line_items[0][price_data][product_data][name]", "Large credit pack")
                .containsEntry("success_url",
                        "https://credits.example.com/buy/success?session_id={CHECKOUT_SESSION_ID}")
                .containsEntry("cancel_url", "https://credits.example.com/buy/cancel")
                .containsEntry("payment_intent_data[metadata][packId]", "pack-large");
        // Nothing global was set: other code using stripe-java is unaffected.
        assertThat(Stripe.apiKey).isEqualTo(apiKeyBefore);
        assertThat(Stripe.getApiBase()).isEqualTo(apiBaseBefore);
    }

    private static Map<String, String> decode(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
