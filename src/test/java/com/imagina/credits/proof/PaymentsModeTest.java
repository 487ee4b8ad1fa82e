package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.imagina.credits.CreditsApplication;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A production instance without a Stripe key gives nothing away: unless {@code credits.payments.simulated}
 * is set (dev, test), starting a checkout is 503 {@code payments_unavailable}, the simulated checkout's page
 * and its "Pay" are 404, and start-up says so once. Before #16 the simulated checkout was on in every
 * profile and its unauthenticated "Pay" granted any pack.
 */
@ExtendWith(OutputCaptureExtension.class)
class PaymentsModeTest extends ApiTest {
    @Autowired
    HikariDataSource dataSource;

    @Test
    void withoutAKeyAndWithoutSimulationNothingCanBeBought(CapturedOutput output) {
        // The test profile's own instance simulates: a session id it would accept.
        Api.Response simulatedHere = api.post("/api/v1/checkout-sessions", api.player(id("buyer")), Map.of("packId", "pack-huge"));
        assertThat(simulatedHere.status()).as(simulatedHere.toString()).isEqualTo(201);
        String sessionId = simulatedHere.json().get("id").asText();

        try (ConfigurableApplicationContext production = new SpringApplicationBuilder(CreditsApplication.class)
                .profiles("test")
                .run("--server.port=0", "--credits.db.url=" + dataSource.getJdbcUrl(),
                        "--credits.db.user=" + dataSource.getUsername(), "--credits.db.schema=" + SCHEMA,
                        "--credits.jwt.secret=" + SECRET, "--credits.payments.simulated=false",
                        "--credits.stripe.webhook-secret=", "--spring.jmx.enabled=false")) {
            Api prod = new Api("http://127.0.0.1:" + production.getEnvironment().getProperty("local.server.port"), SECRET);
            String buyer = id("buyer");
            Api.Response checkout = prod.post("/api/v1/checkout-sessions", prod.player(buyer), Map.of("packId", "pack-huge"));
            assertThat(checkout.status()).as(checkout.toString()).isEqualTo(503);
            assertThat(checkout.json().get("code").asText()).isEqualTo("payments_unavailable");
            assertThat(prod.get("/checkout/simulated/" + sessionId, null).status()).isEqualTo(404);
            Api.Response pay = prod.raw("POST", "/checkout/simulated/" + sessionId + "/pay", null, "", Map.of());
            assertThat(pay.status()).as(pay.toString()).isEqualTo(404);
            // The pack list is still public: the shop shows what it would sell.
            assertThat(prod.get("/api/v1/packs", null).status()).isEqualTo(200);
            Api.Response account = prod.get("/api/v1/accounts/" + buyer, prod.admin());
            assertThat(account.status() == 404 || account.json().get("balanceMillicredits").asLong() == 0)
                    .as("nothing granted: " + account).isTrue();
        }
        assertThat(output.getAll().split("payments are UNAVAILABLE", -1)).as("said once at start-up").hasSize(2);
        // The session stays unpaid.
        Api.Response session = api.get("/api/v1/checkout-sessions/" + sessionId, api.admin());
        assertThat(session.json().get("status").asText()).isEqualTo("open");
    }
}
