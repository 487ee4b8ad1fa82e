package com.imagina.credits.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service as a separate operating-system process, so that it can be killed the hard way
 * ({@link Process#destroyForcibly()} is SIGKILL on Linux: no shutdown hook, no graceful stop, open
 * transactions cut off mid-way) and started again on the same port, database and schema. Without
 * {@code CREDITS_DB_URL} it runs an embedded PostgreSQL in a data directory of its own, which must
 * survive the kills (its launcher stops a left-over postmaster at the next start).
 *
 * <p>{@link #state()} tells clients whether the service is up; {@link #awaitUp} blocks until it is.
 */
final class ServiceProcess implements AutoCloseable {
    enum State { STARTING, UP, DOWN, STOPPED }

    private static final Duration START_DEADLINE = Duration.ofSeconds(240);

    private final List<String> command;
    private final Path log;
    private final int port;
    private final String dbUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private volatile State state = State.DOWN;
    private int starts;

    ServiceProcess(int port, String schema, String secret, String webhookSecret, Path log) {
        this(port, schema, secret, webhookSecret, log, null, List.of());
    }

    /**
     * @param dbUrl the JDBC URL the service gets as {@code CREDITS_DB_URL} (e.g. a multi-host one), or null
     *     for this JVM's own {@code CREDITS_DB_URL} (embedded PostgreSQL without one)
     * @param extraArgs more {@code --setting=value} arguments
     */
    ServiceProcess(int port, String schema, String secret, String webhookSecret, Path log, String dbUrl,
            List<String> extraArgs) {
        this.port = port;
        this.dbUrl = dbUrl;
        this.log = log;
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classpath, "com.imagina.credits.CreditsApplication",
                "--server.port=" + port,
                "--spring.profiles.active=test",
                "--credits.db.schema=" + schema,
                "--credits.jwt.secret=" + secret,
                "--credits.stripe.webhook-secret=" + webhookSecret,
                // The sweep runs beside the lazy expiry, so both paths meet the kills and each other.
                "--credits.holds.sweep-interval=2s",
                // The test's book shares whole charges: promotional credits earn a share here too.
                "--credits.revenue-share.on-promotional=true",
                "--spring.jmx.enabled=false"));
        cmd.addAll(extraArgs);
        if (dbUrl == null && (System.getenv("CREDITS_DB_URL") == null || System.getenv("CREDITS_DB_URL").isBlank())) {
            cmd.add("--credits.db.embedded-data-dir=" + Path.of("target", "embedded-pg-fault").toAbsolutePath());
        }
        this.command = List.copyOf(cmd);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    State state() {
        return state;
    }

    int starts() {
        return starts;
    }

    /** Starts the process and waits for its health check (without holding the monitor meanwhile). */
    void start() {
        Process started;
        synchronized (this) {
            if (process != null && process.isAlive()) throw new IllegalStateException("already running");
            state = State.STARTING;
            try {
                Files.createDirectories(log.getParent());
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                if (dbUrl != null) builder.environment().put("CREDITS_DB_URL", dbUrl);
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            started = process;
            starts++;
        }
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (!healthy()) {
            if (!started.isAlive()) {
                throw new IllegalStateException("The service exited with " + started.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The service was not healthy within " + START_DEADLINE + "; see " + log);
            }
            pause(200);
        }
        synchronized (this) {
            state = State.UP;
            notifyAll();
        }
    }

    /** SIGKILL, and wait until the process is gone. */
    synchronized void kill() {
        state = State.DOWN;
        process.destroyForcibly();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("the process did not die");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Blocks until the service is up (or the deadline passes). */
    synchronized void awaitUp(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (state != State.UP) {
            long left = end - System.nanoTime();
            if (left <= 0 || state == State.STOPPED) {
                throw new IllegalStateException("The service did not come back within " + deadline);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private boolean healthy() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A graceful stop (SIGTERM) at the end, so an embedded PostgreSQL shuts down cleanly. */
    @Override
    public synchronized void close() {
        state = State.STOPPED;
        notifyAll();
        if (process == null || !process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
