package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.imagina.credits.CreditsApplication;
import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A stalled database fails fast and stays local. An account row locked by another connection (a second
 * JDBC connection holding {@code select ... for update}, as a stuck transaction or an operator's session
 * would) makes that account's calls 503 with {@code Retry-After} after the lock timeout, changing nothing,
 * while other accounts, the catalog and health keep answering. A PostgreSQL that is stopped or paused
 * (a throwaway cluster of this test's own) makes health DOWN and calls 503 within seconds, never a 30 s
 * hang nor a 500; when it comes back, so does the service. Before #16 no pool, lock, statement or socket
 * wait was bounded: the locked account's calls waited as long as the lock was held, a paused database
 * forever.
 */
class StalledDatabaseTest extends ApiTest {
    /** lock timeout (2 s) or pool wait (2 s) plus room for a loaded machine. */
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(8);
    private static final Duration OTHERS_WITHIN = Duration.ofSeconds(3);

    @Autowired
    HikariDataSource dataSource;

    @Test
    void everySessionCarriesTheLockAndStatementTimeouts() {
        assertThat(jdbc.sql("show lock_timeout").query(String.class).single()).isEqualTo("2s");
        assertThat(jdbc.sql("show statement_timeout").query(String.class).single()).isEqualTo("5s");
    }

    @Test
    void aLockedAccountFailsFastAndSlowsNobodyElse() throws Exception {
        String locked = id("stall-locked");
        String free = id("stall-free");
        adjust(locked, 5_000_000);
        adjust(free, 5_000_000);
        String world = world(id("stall-owner"), true);
        long balanceBefore = balance(locked);
        List<String> turnIds = new ArrayList<>();
        for (int i = 0; i < 8; i++) turnIds.add(id("stall-t"));
        ExecutorService pool = Executors.newFixedThreadPool(turnIds.size());
        try (Connection other = lockAccountRow(locked)) {
            // The engine keeps sending turns of the locked account meanwhile.
            List<Future<Timed>> lockedCalls = new ArrayList<>();
            for (String turnId : turnIds) {
                lockedCalls.add(pool.submit(() -> timed(() -> authorize(turnId, locked, world))));
            }
            // Other accounts, the catalog and health, while those wait.
            for (int round = 0; round < 3; round++) {
                quick("another account's turn", () -> authorize(id("stall-ok"), free, world), 201);
                quick("packs", () -> api.get("/api/v1/packs", null), 200);
                quick("models", () -> api.get("/api/v1/models", api.player(free)), 200);
                quick("health", () -> api.get("/actuator/health", null), 200);
            }
            for (Future<Timed> f : lockedCalls) {
                Timed t = f.get();
                assertThat(t.response().status()).as(t.response().toString()).isEqualTo(503);
                assertThat(t.response().json().get("code").asText()).isEqualTo("service_unavailable");
                assertThat(t.response().headers().get("retry-after")).as("Retry-After").isNotEmpty();
                assertThat(t.took()).as("the locked account's call fails fast").isLessThan(FAILS_WITHIN);
            }
            other.rollback();
        } finally {
            pool.shutdownNow();
        }
        // Nothing changed on the locked account, and the same requests now go through.
        assertThat(balance(locked)).isEqualTo(balanceBefore);
        assertThat(account(locked).get("heldMillicredits").asLong()).isZero();
        for (String turnId : turnIds) {
            assertThat(api.get("/api/v1/turns/" + turnId, api.engine()).status()).isEqualTo(404);
            assertThat(authorize(turnId, locked, world).status()).isEqualTo(201);
        }
        assertReconciled();
    }

    @Test
    void aStoppedOrPausedDatabaseIsDownQuicklyAndComesBack() throws Exception {
        assumeTrue(ThrowawayPostgres.available(), "needs PostgreSQL 15 binaries in /usr/lib/postgresql/15/bin");
        try (ThrowawayPostgres pg = ThrowawayPostgres.create()) {
            ConfigurableApplicationContext service = new SpringApplicationBuilder(CreditsApplication.class)
                    .profiles("test")
                    .run("--server.port=0", "--credits.db.url=" + pg.jdbcUrl(), "--credits.db.user=postgres",
                            "--credits.db.schema=stall", "--credits.jwt.secret=" + SECRET, "--spring.jmx.enabled=false");
            try {
                Api own = new Api("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port"), SECRET);
                String account = id("gone");
                funded(own, account);

                pg.stop();
                unavailable(own, account, FAILS_WITHIN);
                pg.start();
                recovers(own, account);

                pg.pause();
                // A frozen server answers nothing: the driver's socket timeout (statement timeout + 5 s) is the bound.
                unavailable(own, account, Duration.ofSeconds(20));
                pg.resume();
                recovers(own, account);
            } finally {
                service.close();
            }
        }
    }

    private void funded(Api own, String account) {
        Api.Response r = own.post("/api/v1/admin/adjustments", own.admin(), Map.of("adjustmentId", id("adj"),
                "accountId", account, "amountMillicredits", 1_000_000, "reason", "stall test"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static void unavailable(Api own, String account, Duration within) {
        Timed health = timed(() -> own.get("/actuator/health", null));
        assertThat(health.response().status()).as(health.response().toString()).isEqualTo(503);
        assertThat(health.response().body()).contains("DOWN");
        assertThat(health.took()).as("health says DOWN quickly").isLessThan(within);
        for (Supplier<Api.Response> call : List.<Supplier<Api.Response>>of(
                () -> own.get("/api/v1/accounts/" + account, own.admin()),
                () -> own.post("/api/v1/admin/adjustments", own.admin(), Map.of("adjustmentId", id("adj"),
                        "accountId", account, "amountMillicredits", 1_000, "reason", "while down")))) {
            Timed t = timed(call);
            assertThat(t.response().status()).as(t.response().toString()).isEqualTo(503);
            assertThat(t.response().json().get("code").asText()).isEqualTo("service_unavailable");
            assertThat(t.response().headers().get("retry-after")).isNotEmpty();
            assertThat(t.took()).isLessThan(within);
        }
        // No database needed: still served.
        assertThat(own.get("/api/v1/packs", null).status()).isEqualTo(200);
    }

    private static void recovers(Api own, String account) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (own.get("/actuator/health", null).status() != 200) {
            assertThat(System.nanoTime()).as("health is UP again within 60 s").isLessThan(deadline);
            Thread.sleep(200); // polling a condition with a deadline
        }
        Api.Response r = own.get("/api/v1/accounts/" + account, own.admin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("balanceMillicredits").asLong()).as("nothing changed while it was down").isEqualTo(1_000_000);
    }

    private Connection lockAccountRow(String accountId) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", dataSource.getUsername());
        if (dataSource.getPassword() != null) props.setProperty("password", dataSource.getPassword());
        Connection c = DriverManager.getConnection(dataSource.getJdbcUrl(), props);
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement("select 1 from " + SCHEMA + ".accounts where account_id = ? for update")) {
            s.setString(1, accountId);
            assertThat(s.executeQuery().next()).as("the account row exists and is now locked").isTrue();
        }
        return c;
    }

    private Api.Response authorize(String turnId, String accountId, String world) {
        return api.post("/api/v1/turns", api.engine(), Map.of("turnId", turnId, "accountId", accountId,
                "journeyId", id("j"), "worldId", world, "modelId", "claude-sonnet-4-5",
                "maxOutputTokens", 100, "expectedInputTokens", 100));
    }

    private record Timed(Api.Response response, Duration took) {}

    private static Timed timed(Supplier<Api.Response> call) {
        long start = System.nanoTime();
        Api.Response r = call.get();
        return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void quick(String what, Supplier<Api.Response> call, int status) {
        Timed t = timed(call);
        assertThat(t.response().status()).as(what + ": " + t.response()).isEqualTo(status);
        assertThat(t.took()).as(what + " beside a locked account").isLessThan(OTHERS_WITHIN);
    }
}
