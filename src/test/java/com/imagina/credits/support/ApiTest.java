package com.imagina.credits.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the integration tests: one running service per test JVM (the context is shared), on the
 * PostgreSQL named by CREDITS_DB_URL (embedded otherwise), in a schema of its own created fresh for
 * this run. Tests talk to it over real HTTP and use unique ids, so they never see each other's data.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class ApiTest {
    public static final String SECRET = "test-secret-" + UUID.randomUUID();
    public static final String SCHEMA = "t_" + Long.toString(System.currentTimeMillis(), 36) + "_"
            + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    protected Api api;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("credits.db.schema", () -> SCHEMA);
        registry.add("credits.jwt.secret", () -> SECRET);
        registry.add("credits.db.embedded-data-dir", () -> "target/embedded-pg");
    }

    @BeforeEach
    void connect() {
        api = new Api("http://127.0.0.1:" + port, SECRET);
    }

    protected static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    protected void setClock(Instant now) {
        var r = api.post("/api/v1/admin/clock", api.admin(), Map.of("now", now.toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /**
     * The clock back at the real time, through the API: the books and the world-earnings rollup hear of it
     * ({@code ClockChanged}) and drop the days that are not over any more. Setting the offset to 0 in the
     * table behind their back left a day of a future clock in the books ({@code books_close_every_day}).
     */
    protected void realClock() {
        setClock(Instant.now());
    }

    protected JsonNode account(String accountId) {
        var r = api.get("/api/v1/accounts/" + accountId, api.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    protected long balance(String accountId) {
        return account(accountId).get("balanceMillicredits").asLong();
    }

    protected void adjust(String accountId, long amount) {
        var r = api.post("/api/v1/admin/adjustments", api.admin(), Map.of("adjustmentId", id("adj"),
                "accountId", accountId, "amountMillicredits", amount, "reason", "test funds"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    protected String world(String ownerId, boolean published) {
        String worldId = id("w");
        var r = api.put("/api/v1/worlds/" + worldId, api.engine(),
                Map.of("ownerId", ownerId, "title", "World " + worldId, "published", published));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return worldId;
    }

    protected void assertReconciled() {
        var r = api.get("/api/v1/admin/reconciliation", api.admin());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("ok").asBoolean()).as(r.body()).isTrue();
    }
}
