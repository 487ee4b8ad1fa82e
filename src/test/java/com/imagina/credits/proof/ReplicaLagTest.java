package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.proof.ResilientApi.Reply;
import com.imagina.credits.system.security.TokenMinter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A read replica whose replay is paused ({@code pg_wal_replay_pause()}) while money moves on the primary:
 * the history page, the CSV export and a world's earnings — the reads that go to
 * {@code CREDITS_DB_REPLICA_URL} — are stale, and every money decision is still exact: a hold refused
 * for the balance the primary has (the replica would allow it), a hold and a settle to the millicredit,
 * a payout made once. After replay resumes the stale reads catch up with the primary. The service runs
 * in its own process on a primary and an asynchronous standby of Debian's PostgreSQL 15 (see {@link PgNode}).
 */
class ReplicaLagTest {
    private static final Instant START = Instant.parse("2031-05-05T10:00:00Z");
    private static final String HOLD = "\"modelId\":\"claude-opus-4-1\",\"purpose\":\"play\",\"maxOutputTokens\":1000,"
            + "\"expectedInputTokens\":1000";

    @Test
    void aLaggingReplicaMakesHistoryLateButNoMoneyDecisionWrong() throws Exception {
        String missing = PgNode.missingBinaries();
        assumeTrue(missing == null, () -> "ReplicaLagTest skipped: " + missing);
        String run = Long.toString(System.currentTimeMillis(), 36) + "_" + UUID.randomUUID().toString().substring(0, 6);
        Path root = Path.of("/tmp", "credits-replica-" + run);
        PgNode primary = new PgNode("pg_a", ServiceProcess.freePort(), root);
        PgNode replica = new PgNode("pg_b", ServiceProcess.freePort(), root);
        try (primary; replica) {
            primary.initPrimary("");
            primary.start();
            replica.initStandby(primary, "");
            replica.start();
            primary.awaitStandby(replica, false);
            String schema = "t_replica_" + run;
            String secret = "replica-secret-" + UUID.randomUUID();
            String hosts = primary.jdbcHost() + "," + replica.jdbcHost();
            String replicaHosts = replica.jdbcHost() + "," + primary.jdbcHost();
            try (ServiceProcess service = new ServiceProcess(ServiceProcess.freePort(), schema, secret,
                    "whsec_replica_" + UUID.randomUUID().toString().replace("-", ""),
                    Path.of("target", "replica-service-" + run + ".log"),
                    "jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary",
                    List.of("--credits.db.user=postgres", "--credits.db.password=",
                            "--credits.db.replica.url=jdbc:postgresql://" + replicaHosts
                                    + "/postgres?targetServerType=preferSecondary"))) {
                service.start();
                scenario(new ResilientApi(service), secret, run, replica);
            }
        } finally {
            PgNode.deleteTree(root);
        }
    }

    private static void scenario(ResilientApi api, String secret, String run, PgNode replica) throws Exception {
        String admin = TokenMinter.mint(secret.getBytes(StandardCharsets.UTF_8), "replica-admin", List.of("admin"),
                Instant.now().plusSeconds(3600));
        String engine = TokenMinter.mint(secret.getBytes(StandardCharsets.UTF_8), "replica-engine", List.of("engine"),
                Instant.now().plusSeconds(3600));
        String player = "rp-" + run;
        String owner = "ro-" + run;
        String world = "rw-" + run;
        expect(api.post("/api/v1/admin/clock", admin, "{\"now\":\"" + START + "\"}"), 200);
        expect(api.put("/api/v1/worlds/" + world, engine, "{\"ownerId\":\"" + owner
                + "\",\"title\":\"Replica\",\"published\":true}"), 200);
        adjust(api, admin, player, "seed", 100_000);
        // The replica has the seed: the history (read there) shows it.
        awaitHistory(api, admin, player, items -> items.size() == 1);

        replica.sql("select pg_wal_replay_pause()");
        awaitPaused(replica);

        adjust(api, admin, player, "down", -95_000);
        assertBalance(api, admin, player, 5_000, 0);
        // The replica still has 100,000 available; the primary's 5,000 decide: refused.
        Reply refused = api.post("/api/v1/turns", engine, "{\"turnId\":\"rt-refused-" + run + "\",\"accountId\":\""
                + player + "\",\"worldId\":\"" + world + "\",\"journeyId\":\"rj-" + run + "\"," + HOLD + "}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(402);
        assertThat(refused.json().path("code").asText()).isEqualTo("insufficient_credits");

        adjust(api, admin, player, "up", 200_000);
        String turnId = "rt-" + run;
        Reply held = api.post("/api/v1/turns", engine, "{\"turnId\":\"" + turnId + "\",\"accountId\":\"" + player
                + "\",\"worldId\":\"" + world + "\",\"journeyId\":\"rj-" + run + "\"," + HOLD + "}");
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        long hold = held.json().path("holdMillicredits").asLong();
        assertThat(hold).isPositive();
        assertBalance(api, admin, player, 205_000, hold);
        Reply settled = api.post("/api/v1/turns/" + turnId + "/settle", engine,
                "{\"usage\":{\"inputTokens\":1000,\"cacheReadTokens\":0,\"cacheWriteTokens\":0,\"cacheWrite1hTokens\":0,"
                        + "\"outputTokens\":500,\"images\":0}}");
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        long charged = settled.json().path("chargedMillicredits").asLong();
        assertThat(charged).isEqualTo(settled.json().path("costMillicredits").asLong()).isPositive();
        assertBalance(api, admin, player, 205_000 - charged, 0);

        expect(api.post("/api/v1/admin/clock", admin, "{\"now\":\"" + FaultClock.nextDay(START) + "\"}"), 200);
        String day = START.toString().substring(0, 10);
        long share = BigDecimal.valueOf(charged).multiply(BigDecimal.valueOf(20))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact();
        expect(api.post("/api/v1/admin/payouts", admin, "{\"through\":\"" + day + "\"}"), 200);
        expect(api.post("/api/v1/admin/payouts", admin, "{\"through\":\"" + day + "\"}"), 200);
        assertBalance(api, admin, owner, share, 0);

        // Meanwhile the stale-tolerant reads show the replica's past: the seed only, no earnings.
        Reply page = api.get("/api/v1/accounts/" + player + "/transactions", admin);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.json().path("items")).as("history read from the paused replica").hasSize(1);
        Reply csv = api.get("/api/v1/accounts/" + player + "/transactions.csv", admin);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body().strip().lines()).as("CSV from the paused replica: header + seed").hasSize(2);
        Reply earnings = api.get("/api/v1/worlds/" + world + "/earnings", admin);
        assertThat(earnings.status()).as(earnings.toString()).isEqualTo(200);
        assertThat(earnings.json().path("earnedMillicredits").asLong()).as("earnings from the paused replica").isZero();
        assertThat(earnings.json().path("days")).isEmpty();

        replica.sql("select pg_wal_replay_resume()");
        List<JsonNode> items = awaitHistory(api, admin, player, list -> list.size() == 4);
        assertThat(items.get(0).path("balanceAfterMillicredits").asLong()).isEqualTo(205_000 - charged);
        long earned = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (earned != share && System.nanoTime() < deadline) {
            earned = api.get("/api/v1/worlds/" + world + "/earnings", admin).json().path("earnedMillicredits").asLong();
            Thread.sleep(100); // polling the replica's catch-up with a deadline
        }
        assertThat(earned).as("earnings once the replica caught up").isEqualTo(share);
        Reply reconciliation = api.get("/api/v1/admin/reconciliation", admin);
        assertThat(reconciliation.json().path("ok").asBoolean()).as(reconciliation.body()).isTrue();
    }

    private static void adjust(ResilientApi api, String admin, String account, String id, long amount) {
        expect(api.post("/api/v1/admin/adjustments", admin, "{\"adjustmentId\":\"" + id + "-" + account
                + "\",\"accountId\":\"" + account + "\",\"amountMillicredits\":" + amount + ",\"reason\":\"replica\"}"), 201);
    }

    /** Balance and held as the primary has them, to the millicredit. */
    private static void assertBalance(ResilientApi api, String admin, String account, long balance, long held) {
        Reply r = api.get("/api/v1/accounts/" + account, admin);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("balanceMillicredits").asLong()).as(account + " balance").isEqualTo(balance);
        assertThat(r.json().path("heldMillicredits").asLong()).as(account + " held").isEqualTo(held);
        assertThat(r.json().path("availableMillicredits").asLong()).isEqualTo(balance - held);
    }

    private static List<JsonNode> awaitHistory(ResilientApi api, String admin, String account,
            Predicate<List<JsonNode>> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Reply r = api.get("/api/v1/accounts/" + account + "/transactions", admin);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            List<JsonNode> items = new java.util.ArrayList<>();
            r.json().path("items").forEach(items::add);
            if (done.test(items)) return items;
            assertThat(System.nanoTime()).as("history of " + account + ": " + r.body()).isLessThan(deadline);
            Thread.sleep(100); // polling the replica's catch-up with a deadline
        }
    }

    private static void awaitPaused(PgNode replica) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = replica.connect("postgres"); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery("select pg_get_wal_replay_pause_state()")) {
                    rs.next();
                    if (rs.getString(1).equals("paused")) return;
                }
                assertThat(System.nanoTime()).as("replay paused").isLessThan(deadline);
                Thread.sleep(20); // polling the replica's state with a deadline
            }
        }
    }

    private static void expect(Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }
}
