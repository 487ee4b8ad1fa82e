package com.imagina.credits.proof;

import com.imagina.credits.system.security.TokenMinter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The game engine's loop under load, over the real HTTP API: authorize, then settle with one of the
 * five usage forms (or void, about one turn in ten). Run by {@code bench/run}:
 * <pre>
 * CREDITS_JWT_SECRET=... java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     com.imagina.credits.proof.LoadClient http://127.0.0.1:PORT many|hot CLIENTS SECONDS [WARMUP_SECONDS]
 * </pre>
 * {@code many}: each client on an account of its own; {@code hot}: every client on one account. Both
 * use the credits-only model so every turn is a paid credit hold (free turns would skip the balance
 * row, the part that contends). The first WARMUP seconds (default 5) run the same loop unrecorded, so
 * the JIT and the connection pools are warm. Each client thread speaks HTTP/1.1 over a keep-alive
 * connection of its own ({@link PlainHttpConnection}). Prints one {@code RESULT key=value ...} line.
 *
 * <p>By default the loop is closed: a client sends its next turn as soon as the last one is answered,
 * so the latencies are mostly time spent queueing behind the other clients. With
 * {@code -Dload.turnsPerSecond=R} the clients together start R turns a second on a fixed schedule (the
 * engine's real loop waits seconds for the model between turns), and each latency is counted from the
 * moment its turn was due, not from when it was sent: a client that falls behind does not hide the
 * wait it caused (no coordinated omission).
 */
public final class LoadClient {
    static final String MODEL = "claude-opus-4-1";

    private final String engineToken;
    private final String adminToken;
    /** Each client thread has a connection of its own, as each engine worker would. */
    private final ThreadLocal<PlainHttpConnection> connection;
    private final LongAdder settled = new LongAdder();
    private final LongAdder voided = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
    private long clientCpuNanos;

    LoadClient(String baseUrl, String secret) {
        this.connection = ThreadLocal.withInitial(() -> new PlainHttpConnection(baseUrl));
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        Instant expires = Instant.now().plusSeconds(3600);
        this.engineToken = TokenMinter.mint(key, "bench-engine", List.of("engine"), expires);
        this.adminToken = TokenMinter.mint(key, "bench-admin", List.of("admin"), expires);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: LoadClient BASE_URL many|hot CLIENTS SECONDS [WARMUP_SECONDS]");
            System.exit(2);
        }
        String secret = System.getenv("CREDITS_JWT_SECRET");
        if (secret == null || secret.isBlank()) {
            System.err.println("CREDITS_JWT_SECRET must be set to the service's secret");
            System.exit(2);
        }
        String mode = args[1];
        int clients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        new LoadClient(args[0], secret).run(mode, clients, seconds, warmup);
        System.exit(0); // the client threads of the pool are not daemons
    }

    void run(String mode, int clients, int seconds, int warmup) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String world = "bench-w-" + run;
        expect(send("PUT", "/api/v1/worlds/" + world, engineToken,
                "{\"ownerId\":\"bench-owner-" + run + "\",\"title\":\"Bench\",\"published\":true}"), 200, "world");
        List<String> accounts = new ArrayList<>();
        int distinct = mode.equals("hot") ? 1 : clients;
        for (int i = 0; i < distinct; i++) {
            String account = "bench-" + mode + "-" + run + "-" + i;
            // The most one adjustment may grant: enough for millions of turns, so no client runs dry.
            expect(send("POST", "/api/v1/admin/adjustments", adminToken, "{\"adjustmentId\":\"seed-" + account
                    + "\",\"accountId\":\"" + account + "\",\"amountMillicredits\":1000000000000,"
                    + "\"reason\":\"bench seed\"}"), 201, "seed");
            accounts.add(account);
        }
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        List<Latencies> authorize = new ArrayList<>();
        List<Latencies> settle = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Latencies a = new Latencies();
            Latencies s = new Latencies();
            authorize.add(a);
            settle.add(s);
            String account = accounts.get(c % distinct);
            String journey = "bench-j-" + run + "-" + c;
            long seed = c * 7919L + run.hashCode();
            Schedule schedule = Schedule.of(System.getProperty("load.turnsPerSecond"), clients, c);
            futures.add(pool.submit(mode.equals("floor") ? () -> floorLoop(warmupEnd, end, a)
                    : () -> loop(account, world, journey, new Random(seed), schedule, warmupEnd, end, a, s)));
        }
        String marker = System.getProperty("load.warmMarker");
        long[] cpuAtWarm = new long[1];
        // When the measured seconds begin: note this client's own CPU time, and tell bench/run (which
        // reads the service's and PostgreSQL's CPU counters then).
        Thread mark = new Thread(() -> {
            LockSupport.parkNanos(warmupEnd - System.nanoTime());
            cpuAtWarm[0] = processCpuNanos();
            if (marker == null) return;
            try {
                Files.writeString(Path.of(marker), "warm");
            } catch (IOException e) {
                System.err.println("cannot write " + marker + ": " + e);
            }
        });
        mark.setDaemon(true);
        mark.start();
        for (Future<?> f : futures) f.get();
        mark.join();
        clientCpuNanos = processCpuNanos() - cpuAtWarm[0];
        pool.shutdown();
        report(mode, clients, seconds, Latencies.merge(authorize), Latencies.merge(settle));
    }

    private Void loop(String account, String world, String journey, Random random, Schedule schedule,
            long warmupEnd, long end, Latencies authorizeLatency, Latencies settleLatency) {
        long n = 0;
        while (System.nanoTime() < end) {
            String turnId = journey + "-" + n;
            String body = "{\"turnId\":\"" + turnId + "\",\"accountId\":\"" + account + "\",\"journeyId\":\""
                    + journey + "\",\"worldId\":\"" + world + "\",\"modelId\":\"" + MODEL
                    + "\",\"purpose\":\"play\",\"maxOutputTokens\":600,\"expectedInputTokens\":9000}";
            long t0 = schedule.awaitTurn(n++);
            Reply auth = send("POST", "/api/v1/turns", engineToken, body);
            long t1 = System.nanoTime();
            boolean recording = t0 >= warmupEnd;
            if (recording) authorizeLatency.record(t1 - t0);
            if (auth.status != 201) {
                if (recording) error("authorize", auth);
                continue;
            }
            boolean isVoid = random.nextInt(10) == 0;
            String path = "/api/v1/turns/" + turnId + (isVoid ? "/void" : "/settle");
            String closeBody = isVoid ? "{}" : UsageForms.random(random, 6_000 + random.nextInt(4_000),
                    200 + random.nextInt(400));
            Reply close = send("POST", path, engineToken, closeBody);
            long t2 = System.nanoTime();
            if (!recording || t2 > end) continue;
            if (close.status != 200) {
                error(isVoid ? "void" : "settle", close);
            } else if (isVoid) {
                voided.increment();
            } else {
                settleLatency.record(t2 - t1);
                settled.increment();
            }
        }
        return null;
    }

    /**
     * The framework floor ({@code floor} mode): a database-free authenticated GET ({@code GET /api/v1/packs}
     * with the engine's bearer token, verified by the same security chain as a turn's calls) in a closed
     * loop. Each answered request counts as one "settled" (the RESULT line's latencies are the GET's, in the
     * authorize columns), so bench/run's CPU per turn is then the CPU per request of the stack itself.
     */
    private Void floorLoop(long warmupEnd, long end, Latencies latency) {
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            Reply reply = send("GET", "/api/v1/packs", engineToken, "");
            long t1 = System.nanoTime();
            if (t0 < warmupEnd || t1 > end) continue;
            latency.record(t1 - t0);
            if (reply.status != 200) {
                error("floor GET", reply);
            } else {
                settled.increment();
            }
        }
        return null;
    }

    /** When each turn of one client is due: at once (closed loop), or on a fixed beat (paced). */
    record Schedule(long startNanos, long intervalNanos) {
        static Schedule of(String turnsPerSecond, int clients, int client) {
            return of(turnsPerSecond, clients, client, System.nanoTime());
        }

        static Schedule of(String turnsPerSecond, int clients, int client, long originNanos) {
            if (turnsPerSecond == null || turnsPerSecond.isBlank()) return new Schedule(0, 0);
            // Each client starts a turn every clients/R seconds; the clients' beats are spread evenly.
            long interval = Math.round(clients * 1e9 / Double.parseDouble(turnsPerSecond));
            return new Schedule(originNanos + interval * client / clients, interval);
        }

        /** Waits until turn {@code n} is due and returns when it was due (now, for a closed loop). */
        long awaitTurn(long n) {
            if (intervalNanos == 0) return System.nanoTime();
            long due = startNanos + n * intervalNanos;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait); // may return early: wait again for what is left
            }
            return due;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void report(String mode, int clients, int seconds, Latencies authorize, Latencies settle) {
        double turnsPerSecond = settled.sum() / (double) seconds;
        double clientCpuMsPerTurn = clientCpuNanos / 1e6 / Math.max(1, settled.sum() + voided.sum());
        System.out.println(String.format(Locale.ROOT,
                "RESULT mode=%s clients=%d seconds=%d offered=%s settled=%d voided=%d errors=%d turnsPerSecond=%.1f "
                        + "authorizeP50=%.2f authorizeP95=%.2f authorizeP99=%.2f "
                        + "settleP50=%.2f settleP95=%.2f settleP99=%.2f clientCpuMsPerTurn=%.1f",
                mode, clients, seconds, System.getProperty("load.turnsPerSecond", "closed-loop"), settled.sum(),
                voided.sum(), errors.sum(), turnsPerSecond,
                authorize.percentileMillis(50), authorize.percentileMillis(95), authorize.percentileMillis(99),
                settle.percentileMillis(50), settle.percentileMillis(95), settle.percentileMillis(99), clientCpuMsPerTurn));
        errorKinds.forEach((kind, count) -> System.out.println("ERRORS " + count + " × " + kind));
    }

    private void error(String what, Reply reply) {
        errors.increment();
        String body = reply.body.length() > 200 ? reply.body.substring(0, 200) : reply.body;
        errorKinds.computeIfAbsent(what + " " + reply.status + " " + body, k -> new AtomicLong()).incrementAndGet();
    }

    private static void expect(Reply reply, int status, String what) {
        if (reply.status != status) {
            throw new IllegalStateException(what + " failed: " + reply.status + " " + reply.body);
        }
    }

    record Reply(int status, String body) {}

    private Reply send(String method, String path, String token, String body) {
        try {
            PlainHttpConnection.Answer answer = connection.get().send(method, path, token, body);
            // Only failures are looked at: a 2xx body is not even decoded.
            return new Reply(answer.status(), answer.status() / 100 == 2 ? "" : answer.text());
        } catch (IOException | RuntimeException e) {
            return new Reply(-1, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
