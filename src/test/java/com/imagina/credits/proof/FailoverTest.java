package com.imagina.credits.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.imagina.credits.proof.Acknowledged.Ack;
import com.imagina.credits.proof.FaultWorld.WorldInfo;
import com.imagina.credits.proof.ResilientApi.Reply;
import com.imagina.credits.proof.ResilientApi.ServerAnswer;
import com.imagina.credits.system.security.TokenMinter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Losing the database machine. A primary and a streaming standby (Debian's PostgreSQL 15 binaries, under
 * {@code /tmp}, local ports of their own — see {@link PgNode}); the service in a separate process on the
 * multi-host URL {@code jdbc:postgresql://primary,standby/postgres?targetServerType=primary}; the fault
 * test's clients ({@link FaultClient}: authorizations, settles in every usage form, voids, adjustments,
 * Stripe purchases, payouts, replays, clock jumps) and a probe writing an adjustment every 100 ms. At
 * random moments the primary is SIGKILLed with all its processes, the standby promoted
 * ({@code pg_ctl promote}), and a new standby cloned from it (pg_basebackup) for the next kill. Clients
 * send every unanswered call again with the same ids. The service is never restarted.
 *
 * <p>Then: every write acknowledged before a kill is on the new primary (looked up by id), the balances
 * agree to the millicredit with the clients' own book of acknowledged answers (so nothing was applied
 * twice either), reconciliation is ok, the scheduled jobs (hold sweep, grant sweep, reconciliation) still run, and every 5xx came
 * during a switch. The failover time is from the kill to the first write acknowledged from a call sent
 * after the old primary's last process was gone (a call sent while the SIGKILLs were still going out may
 * be answered, and replicated, by a backend not yet killed).
 *
 * <p>{@code -Dfailover.mode=async}: the same with an asynchronous standby; then acknowledged writes may
 * be lost, and the test measures how many (it fails only on broken books, not on losses).
 * {@code -Dfailover.afterPromotion=alone}: the new primary stops waiting for a synchronous standby until
 * the new one is back (default {@code strict}: no commit is acknowledged before a second copy exists).
 * Short by default (2 kills, 900 operations); {@code bench/failover} runs the long one.
 */
class FailoverTest {
    private static final int OPERATIONS = Integer.getInteger("failover.operations", 900);
    private static final int CLIENTS = Integer.getInteger("failover.clients", 8);
    private static final int KILLS = Integer.getInteger("failover.kills", 2);
    private static final boolean SYNC = !"async".equals(System.getProperty("failover.mode", "sync"));
    /** {@code -Dfailover.linkDelayMs}: the standby streams over a link this slow ({@link DelayLink}). */
    private static final long LINK_DELAY_MS = Long.getLong("failover.linkDelayMs", 0);
    private static final boolean STRICT = !"alone".equals(System.getProperty("failover.afterPromotion", "strict"));
    /** A 5xx up to this long after a switch is over (the standby back) still belongs to it. */
    private static final Duration GRACE = Duration.ofSeconds(35);
    private static final String NAMES = "FIRST 1 (pg_a, pg_b)";

    /** What one kill did and how long it took. */
    record Kill(int number, long killNanos, long deadNanos, long promotedNanos, long standbyNanos, int ackedBefore, List<Ack> lost) {}

    @Test
    void primaryKilledUnderLoadFailsOverWithoutLosingAnAcknowledgedWrite() throws Exception {
        String missing = PgNode.missingBinaries();
        assumeTrue(missing == null, () -> "FailoverTest skipped: " + missing);
        long seed = Long.getLong("failover.seed", new Random().nextLong());
        Random random = new Random(seed);
        String run = Long.toString(System.currentTimeMillis(), 36) + "_" + UUID.randomUUID().toString().substring(0, 6);
        String schema = "t_failover_" + run;
        String secret = "failover-secret-" + UUID.randomUUID();
        String webhookSecret = "whsec_failover_" + UUID.randomUUID().toString().replace("-", "");
        String names = SYNC ? NAMES : "";
        System.out.println("FailoverTest " + (SYNC ? "synchronous" : "asynchronous") + " standby"
                + (SYNC ? (STRICT ? ", strict after promotion" : ", primary alone after promotion") : "")
                + (LINK_DELAY_MS > 0 ? ", " + LINK_DELAY_MS + " ms link" : "") + ": seed=" + seed + " operations=" + OPERATIONS + " clients=" + CLIENTS + " kills=" + KILLS);
        Path root = Path.of("/tmp", "credits-failover-" + run);
        PgNode a = new PgNode("pg_a", ServiceProcess.freePort(), root);
        PgNode b = new PgNode("pg_b", ServiceProcess.freePort(), root);
        try (a; b) {
            run(random, run, schema, secret, webhookSecret, names, a, b);
        } finally {
            for (DelayLink l : LINKS) l.close();
            LINKS.clear();
            PgNode.deleteTree(root);
        }
    }

    private static void run(Random random, String run, String schema, String secret, String webhookSecret, String names,
            PgNode a, PgNode b) throws Exception {
        {
            a.initPrimary(names);
            a.start();
            b.initStandby(a, names, link(a));
            b.start();
            a.awaitStandby(b, SYNC);
            String url = "jdbc:postgresql://" + a.jdbcHost() + "," + b.jdbcHost()
                    + "/postgres?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=5";
            Path log = Path.of("target", "failover-service-" + run + ".log");
            try (ServiceProcess service = new ServiceProcess(ServiceProcess.freePort(), schema, secret, webhookSecret, log,
                    url, List.of("--credits.db.user=postgres", "--credits.db.password=",
                    "--credits.reconciliation.interval=3s", "--credits.reconciliation.initial-delay=3s",
                    "--credits.grants.sweep-interval=3s"))) {
                service.start();
                List<String> players = new ArrayList<>();
                for (int i = 0; i < 10; i++) players.add("fp-" + run + "-" + i);
                List<WorldInfo> worlds = List.of(
                        new WorldInfo("fw-" + run + "-0", "fo-" + run + "-0", true),
                        new WorldInfo("fw-" + run + "-1", "fo-" + run + "-1", true),
                        new WorldInfo("fw-" + run + "-2", players.get(0), true),
                        new WorldInfo("fw-" + run + "-3", "fo-" + run + "-2", false));
                FaultWorld w = new FaultWorld(service, new FaultClock(FaultInjectionTest.START), secret, webhookSecret,
                        players, worlds);
                w.tolerant = !SYNC;
                FaultInjectionTest.setUp(w);
                Probe probe = new Probe(service, w, "probe-" + run, secret);

                List<Long> points = new ArrayList<>();
                for (int k = 0; k < KILLS; k++) points.add((long) (OPERATIONS * (0.1 + 0.8 * random.nextDouble())));
                points.sort(null);
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 2);
                Future<?> probing = pool.submit(probe);
                List<Future<?>> clients = new ArrayList<>();
                int perClient = (OPERATIONS + CLIENTS - 1) / CLIENTS;
                for (int c = 0; c < CLIENTS; c++) clients.add(pool.submit(new FaultClient(w, c, perClient, random.nextLong())));
                PgNode[] roles = {a, b};
                Random killRandom = new Random(random.nextLong());
                Future<List<Kill>> killer = pool.submit(() -> killAt(w, points, roles, schema, killRandom));
                for (Future<?> f : clients) f.get(2, TimeUnit.HOURS);
                List<Kill> kills = killer.get(30, TimeUnit.MINUTES);
                probe.stop = true;
                probing.get(10, TimeUnit.MINUTES);
                pool.shutdown();
                PgNode primary = roles[0];

                assertThat(w.problems).as("answers the contract does not allow").isEmpty();
                List<Ack> lostInTheEnd;
                try (Connection c = primary.connect("postgres")) {
                    setSchema(c, schema);
                    lostInTheEnd = Acknowledged.missing(c, w.acked.before(System.nanoTime()));
                }
                report(kills, probe, w, lostInTheEnd);
                for (Ack lost : lostInTheEnd) System.out.println("FailoverTest: lost " + lost.kind() + " " + lost.id()
                        + " acknowledged " + when(lost.nanos(), kills));
                // Whatever was lost, the books the new primary has are consistent.
                Reply reconciliation = w.api.get("/api/v1/admin/reconciliation", w.admin());
                assertThat(reconciliation.status()).as(reconciliation.toString()).isEqualTo(200);
                assertThat(reconciliation.json().path("ok").asBoolean()).as(reconciliation.body()).isTrue();
                assertThat(kills).as("kills made").hasSize(KILLS);
                if (!SYNC) return; // the asynchronous run measures; losing is what it shows

                assertThat(kills).allSatisfy(k -> assertThat(k.lost()).as("acknowledged before kill " + k.number()
                        + " and missing after the failover").isEmpty());
                assertThat(lostInTheEnd).as("acknowledged writes missing at the end").isEmpty();
                String grantId = grantExpiringSoon(w, players.get(2));
                holdSweepRuns(w, primary, schema, players.get(1), worlds.get(0).worldId()); // jumps the clock past it
                grantSweepRuns(primary, schema, grantId);
                reconciliationJobRuns(primary, schema);
                FaultInjectionTest.verifyBooks(w);
                Reply probeAccount = w.api.get("/api/v1/accounts/" + probe.account, w.admin());
                assertThat(probeAccount.json().path("balanceMillicredits").asLong()).as("probe: one millicredit per"
                        + " acknowledged adjustment, none twice").isEqualTo(probe.acknowledged.get());
                List<String> outside = new ArrayList<>();
                for (ServerAnswer s : w.api.serverAnswers) {
                    boolean during = kills.stream().anyMatch(k -> s.nanos() >= k.killNanos()
                            && s.nanos() <= k.standbyNanos() + GRACE.toNanos());
                    if (!during) outside.add(s.what());
                }
                assertThat(outside).as("5xx answers while no switch was going on").isEmpty();
            }
        }
    }

    private static final List<DelayLink> LINKS = new ArrayList<>();

    /** The port a standby of {@code primary} streams from: its own, or a slow link to it. */
    private static int link(PgNode primary) throws java.io.IOException {
        if (LINK_DELAY_MS <= 0) return primary.port;
        DelayLink l = new DelayLink(primary.port, LINK_DELAY_MS);
        LINKS.add(l);
        return l.port;
    }

    /** Kills the primary at each point, promotes the standby, clones a new standby from it. */
    private static List<Kill> killAt(FaultWorld w, List<Long> points, PgNode[] roles, String schema, Random random)
            throws Exception {
        List<Kill> kills = new ArrayList<>();
        for (long point : points) {
            while (w.completed.get() < point) {
                if (w.failing() || w.completed.get() >= OPERATIONS) return kills;
                Thread.sleep(20); // polling the clients' progress; the kill moment is meant to be arbitrary
            }
            TimeUnit.MILLISECONDS.sleep(random.nextInt(300));
            PgNode primary = roles[0];
            PgNode standby = roles[1];
            long killed = System.nanoTime();
            primary.kill();
            long dead = System.nanoTime(); // every process of the old primary gone
            standby.promote();
            long promoted = System.nanoTime();
            if (SYNC && !STRICT) standby.set("synchronous_standby_names", "");
            List<Ack> before = w.acked.before(killed);
            List<Ack> lost;
            try (Connection c = standby.connect("postgres")) {
                setSchema(c, schema);
                lost = Acknowledged.missing(c, before);
            }
            roles[0] = standby;
            roles[1] = primary;
            primary.initStandby(standby, SYNC ? NAMES : "", link(standby));
            primary.start();
            standby.awaitStandby(primary, SYNC);
            if (SYNC && !STRICT) standby.set("synchronous_standby_names", NAMES);
            Kill k = new Kill(kills.size() + 1, killed, dead, promoted, System.nanoTime(), before.size(), lost);
            kills.add(k);
            System.out.println("FailoverTest: kill " + k.number() + " of " + primary.name + " after " + w.completed.get()
                    + " operations: promoted " + standby.name + " in " + ms(promoted - killed) + " ms, new standby "
                    + primary.name + " streaming after " + ms(k.standbyNanos() - killed) + " ms; " + before.size()
                    + " writes acknowledged before, " + lost.size() + " of them missing");
            for (Ack a : lost) System.out.println("FailoverTest: kill " + k.number() + " lost " + a.kind() + " " + a.id()
                    + " acknowledged " + when(a.nanos(), kills));
        }
        return kills;
    }

    /**
     * The scheduled hold sweep still runs after the switches: an authorization whose time has passed
     * is expired by the service without anyone reading its account (nobody calls the API meanwhile).
     */
    private static void holdSweepRuns(FaultWorld w, PgNode primary, String schema, String account, String world)
            throws Exception {
        String turnId = "sweep-check-" + UUID.randomUUID();
        Reply r = w.api.post("/api/v1/turns", w.engine(), "{\"turnId\":\"" + turnId + "\",\"accountId\":\"" + account
                + "\",\"worldId\":\"" + world + "\",\"modelId\":\"claude-opus-4-1\",\"purpose\":\"world_text\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        w.clock.jump(false, next -> assertThat(w.api.post("/api/v1/admin/clock", w.admin(),
                "{\"now\":\"" + next + "\"}").status()).isEqualTo(200));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = primary.connect("postgres")) {
            setSchema(c, schema);
            while (true) {
                try (PreparedStatement s = c.prepareStatement("select status from turns where turn_id = ?")) {
                    s.setString(1, turnId);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        if (rs.getString(1).equals("expired")) return;
                    }
                }
                assertThat(System.nanoTime()).as("the hold sweep expired " + turnId + " after the failovers").isLessThan(deadline);
                Thread.sleep(100); // polling the turn's row with a deadline
            }
        }
    }

    /** A promotional grant expiring 90 s from now on the service clock; the book counts it. */
    private static String grantExpiringSoon(FaultWorld w, String account) {
        String grantId = "sweep-grant-" + UUID.randomUUID();
        long amount = 1_000;
        Reply r = w.api.post("/api/v1/admin/grants", w.admin(), "{\"grantId\":\"" + grantId + "\",\"accountId\":\""
                + account + "\",\"amountMillicredits\":" + amount + ",\"kind\":\"promotional\",\"expiresAt\":\""
                + w.clock.now().plusSeconds(90) + "\",\"reason\":\"failover: grant sweep check\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        w.book.move("grant:" + grantId, account, amount);
        w.book.granted(account, amount);
        return grantId;
    }

    /** The scheduled grant expiry sweep still runs after the switches: the grant expires with nobody reading its account. */
    private static void grantSweepRuns(PgNode primary, String schema, String grantId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = primary.connect("postgres")) {
            setSchema(c, schema);
            while (queryText(c, "select expired_at::text from credit_grants where grant_id = '" + grantId + "'") == null) {
                assertThat(System.nanoTime()).as("the grant sweep expired " + grantId + " after the failovers")
                        .isLessThan(deadline);
                Thread.sleep(200); // polling the grant's row with a deadline
            }
        }
    }

    /** The scheduled reconciliation job still runs after the switches: it stores a new run, and that run is ok. */
    private static void reconciliationJobRuns(PgNode primary, String schema) throws Exception {
        String last = "select last_run_at::text || ' ' || last_ok from reconciliation_state where id = 1";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = primary.connect("postgres")) {
            setSchema(c, schema);
            String before = queryText(c, last);
            while (true) {
                String now = queryText(c, last);
                if (now != null && !now.equals(before) && now.endsWith(" true")) return;
                assertThat(System.nanoTime()).as("the reconciliation job ran (ok) after the failovers; last: " + now)
                        .isLessThan(deadline);
                Thread.sleep(200); // polling the job's stored result with a deadline
            }
        }
    }

    private static String queryText(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void report(List<Kill> kills, Probe probe, FaultWorld w, List<Ack> lostInTheEnd) {
        List<Long> killTimes = kills.stream().map(Kill::killNanos).toList();
        for (Kill k : kills) {
            Long first = probe.firstAckAfter(k.deadNanos()); // sent once no old process could answer it
            long statuses5xx = w.api.serverAnswers.stream().filter(s -> s.nanos() >= k.killNanos()
                    && s.nanos() <= k.standbyNanos() + GRACE.toNanos()).count();
            System.out.println("FailoverTest kill " + k.number() + ": acknowledged before " + k.ackedBefore()
                    + ", lost " + k.lost().size() + (k.lost().isEmpty() ? "" : " " + summary(k.lost()))
                    + ", failover " + (first == null ? "?" : ms(first - k.killNanos())) + " ms (promote "
                    + ms(k.promotedNanos() - k.killNanos()) + " ms, standby back " + ms(k.standbyNanos() - k.killNanos())
                    + " ms), 5xx answers " + statuses5xx);
        }
        Map<String, Long> codes = new TreeMap<>();
        w.api.serverAnswers.forEach(s -> codes.merge(s.what().replaceAll("^\\S+ \\S+ → ", "").replaceAll(
                "^(\\d+) .*\"code\":\"([a-z_]+)\".*", "$1 $2").replaceAll("^(\\d+) .*", "$1"), 1L, Long::sum));
        System.out.println("FailoverTest: " + (SYNC ? "synchronous" : "asynchronous") + ", " + kills.size() + " kills, "
                + w.completed.get() + " operations, " + w.acked.size() + " writes acknowledged (+ " + probe.acknowledged.get()
                + " probe writes), lost " + lostInTheEnd.size() + (lostInTheEnd.isEmpty() ? "" : " " + summary(lostInTheEnd))
                + "; " + w.api.calls.sum() + " calls, " + w.api.retries.sum() + " resent; 5xx during switches " + codes
                + "; answers explained only by a lost write: " + w.consequences.size() + "; kills at " + killTimes.size());
        System.out.println("FailoverTest: outcomes " + new TreeMap<>(Map.copyOf(w.outcomes)));
        w.consequences.stream().limit(5).forEach(c -> System.out.println("FailoverTest: consequence " + c));
    }

    /** Where {@code nanos} falls among the kills: "n ms after kill k (promoted at p ms, standby back at s ms)". */
    private static String when(long nanos, List<Kill> kills) {
        Kill last = null;
        for (Kill k : kills) if (k.killNanos() <= nanos) last = k;
        if (last == null) return ms(kills.isEmpty() ? 0 : kills.get(0).killNanos() - nanos) + " ms before kill 1";
        return ms(nanos - last.killNanos()) + " ms after kill " + last.number() + " (promoted at "
                + ms(last.promotedNanos() - last.killNanos()) + " ms, standby back at "
                + ms(last.standbyNanos() - last.killNanos()) + " ms)";
    }

    private static String summary(List<Ack> acks) {
        Map<String, Long> byKind = new TreeMap<>();
        acks.forEach(a -> byKind.merge(a.kind().name().toLowerCase(), 1L, Long::sum));
        return byKind.toString();
    }

    private static void setSchema(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set search_path to " + schema);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * Writes a 1-millicredit adjustment every 100 ms and resends it every 50 ms (same id) until answered:
     * when each write was acknowledged, and when the attempt that got the answer was sent.
     */
    static final class Probe implements Runnable {
        record Write(long sentNanos, long ackNanos) {}

        final String account;
        final AtomicLong acknowledged = new AtomicLong();
        final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
        volatile boolean stop;
        private final ServiceProcess service;
        private final FaultWorld w;
        private final String token;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();

        Probe(ServiceProcess service, FaultWorld w, String account, String secret) {
            this.service = service;
            this.w = w;
            this.account = account;
            this.token = TokenMinter.mint(secret.getBytes(StandardCharsets.UTF_8), "failover-probe", List.of("admin"),
                    Instant.now().plusSeconds(12 * 3600));
        }

        @Override
        public void run() {
            for (int n = 0; !stop; n++) {
                String id = account + "-" + n;
                String body = "{\"adjustmentId\":\"" + id + "\",\"accountId\":\"" + account
                        + "\",\"amountMillicredits\":1,\"reason\":\"failover probe\"}";
                while (true) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl()
                                + "/api/v1/admin/adjustments")).timeout(Duration.ofSeconds(60))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            writes.add(new Write(sent, System.nanoTime()));
                            acknowledged.incrementAndGet();
                            w.book.move("adjustment:" + id, account, 1);
                            w.acked.add(Acknowledged.Kind.ADJUSTMENT, id);
                            break;
                        }
                        if (r.statusCode() < 500) throw new IllegalStateException("probe " + body + " → " + r.statusCode() + " " + r.body());
                    } catch (java.io.IOException e) {
                        // no answer: the same adjustment again
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    pause(50);
                }
                pause(100);
            }
        }

        /** The first write acknowledged from an attempt sent after {@code nanos}. */
        Long firstAckAfter(long nanos) {
            return writes.stream().filter(x -> x.sentNanos() > nanos).map(Write::ackNanos).min(Long::compare).orElse(null);
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis); // the probe's pace, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
