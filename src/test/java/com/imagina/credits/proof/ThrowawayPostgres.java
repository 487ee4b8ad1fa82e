package com.imagina.credits.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of this test's own, under {@code /tmp} on a free port, that it may stop, pause
 * and start again — never the machine's shared server. Uses Debian's PostgreSQL 15 binaries
 * ({@code /usr/lib/postgresql/15/bin}); as root, its processes run as {@code nobody} (through
 * {@code setpriv}), since PostgreSQL refuses to run as root. {@link #available()} is false without them.
 */
final class ThrowawayPostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final Path data;
    private final int port;
    private final List<Long> paused = new ArrayList<>();

    private ThrowawayPostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BIN.resolve("pg_ctl")) && Files.isExecutable(BIN.resolve("initdb"));
    }

    static ThrowawayPostgres create() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "credits-stall-pg-");
        ThrowawayPostgres pg = new ThrowawayPostgres(dir, ServiceProcess.freePort());
        if (root()) run("chown", "-R", "nobody", dir.toString());
        pg.asOwner(BIN.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "-A", "trust",
                "--no-sync", "-E", "UTF8");
        pg.start();
        return pg;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    void start() throws IOException {
        asOwner(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c fsync=off -c listen_addresses=127.0.0.1", "start");
    }

    /** Gone at once: every backend killed, the port closed. */
    void stop() throws IOException {
        asOwner(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }

    /** Frozen: connections stay open, nothing answers (SIGSTOP to the postmaster and each of its children). */
    void pause() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        // The postmaster first, so it forks no new backend (a pool refilling itself) once its children are listed.
        run("kill", "-STOP", Long.toString(postmaster));
        paused.add(postmaster);
        List<Long> children = ProcessHandle.of(postmaster).map(p -> p.children().map(ProcessHandle::pid).toList())
                .orElse(List.of());
        for (long pid : children) run("kill", "-STOP", Long.toString(pid));
        paused.addAll(children);
    }

    void resume() throws IOException {
        for (long pid : paused) run("kill", "-CONT", Long.toString(pid));
        paused.clear();
    }

    @Override
    public void close() {
        try {
            resume();
            if (Files.exists(data.resolve("postmaster.pid"))) stop();
        } catch (IOException | RuntimeException e) {
            // best effort; the directory goes anyway
        }
        try {
            run("rm", "-rf", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void asOwner(String... command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (root()) cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        cmd.addAll(List.of(command));
        run(cmd.toArray(String[]::new));
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
    }
}
