package com.imagina.credits.proof;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One PostgreSQL server of the failover test, run with Debian's binaries ({@code /usr/lib/postgresql/15/bin},
 * or {@code -Dfailover.pgbin}) in a directory of its own under {@code /tmp}, on a local port of its own —
 * never the machine's PostgreSQL. As root every tool runs as {@code nobody} through {@code setpriv}
 * (PostgreSQL refuses root). A node is a primary ({@link #initPrimary}) or a streaming standby cloned
 * from one ({@link #initStandby}, pg_basebackup); {@link #promote} turns a standby into a primary and
 * {@link #kill} is the machine lost: SIGKILL to the postmaster and every one of its processes at once,
 * by their process ids, so nothing is flushed, nothing is said goodbye to, and the clients' TCP
 * connections are cut.
 */
final class PgNode implements AutoCloseable {
    static final Path DEFAULT_BIN = Path.of(System.getProperty("failover.pgbin", "/usr/lib/postgresql/15/bin"));
    private static final int NOBODY = 65534;

    final String name;
    final int port;
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final boolean asNobody;

    PgNode(String name, int port, Path root) {
        this.name = name;
        this.port = port;
        this.bin = DEFAULT_BIN;
        this.dir = root.resolve(name);
        this.data = dir.resolve("data");
        this.log = dir.resolve("server.log");
        this.asNobody = isRoot();
    }

    /** Null when the binaries are there, else why the failover test cannot run here. */
    static String missingBinaries() {
        for (String tool : List.of("initdb", "pg_ctl", "pg_basebackup", "postgres")) {
            if (!Files.isExecutable(DEFAULT_BIN.resolve(tool))) {
                return "PostgreSQL's binaries are not in " + DEFAULT_BIN + " (" + tool + " missing): apt-get install"
                        + " postgresql-15, or -Dfailover.pgbin=<dir>";
            }
        }
        if (isRoot() && !Files.isExecutable(Path.of("/usr/bin/setpriv")) && !Files.isExecutable(Path.of("/bin/setpriv"))) {
            return "running as root needs setpriv (util-linux) to run PostgreSQL as nobody";
        }
        return null;
    }

    String jdbcHost() {
        return "127.0.0.1:" + port;
    }

    /**
     * A new primary. {@code synchronousStandbys}: the {@code synchronous_standby_names} value ("" for
     * asynchronous replication). Settings of a throwaway test server: fsync is off (a SIGKILL of the
     * processes does not lose what the kernel already has; the machine itself never goes down here).
     */
    void initPrimary(String synchronousStandbys) {
        prepareDir();
        tool("initdb", "-D", data.toString(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C");
        append(data.resolve("pg_hba.conf"), "host replication postgres 127.0.0.1/32 trust\n");
        configure(synchronousStandbys);
    }

    /** A standby of {@code primary}: pg_basebackup (with -R, so it follows the primary), own port and name. */
    void initStandby(PgNode primary, String synchronousStandbys) {
        initStandby(primary, synchronousStandbys, primary.port);
    }

    /** A standby of {@code primary} that streams through {@code linkPort} (a {@link DelayLink} to it). */
    void initStandby(PgNode primary, String synchronousStandbys, int linkPort) {
        prepareDir();
        tool("pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(primary.port), "-U", "postgres",
                "-D", data.toString(), "-X", "stream", "-c", "fast", "--no-sync");
        // What -R would write, but naming the standby, as synchronous_standby_names lists it.
        write(data.resolve("standby.signal"), "");
        configure(synchronousStandbys);
        append(data.resolve("postgresql.conf"), "primary_conninfo = 'host=127.0.0.1 port=" + linkPort
                + " user=postgres application_name=" + name + "'\n");
    }

    private void configure(String synchronousStandbys) {
        append(data.resolve("postgresql.conf"), String.join("\n",
                "# failover test",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + dir + "'",
                "wal_level = replica",
                "max_wal_senders = 8",
                "max_connections = 100",
                "hot_standby = on",
                "wal_keep_size = '256MB'",
                "synchronous_standby_names = '" + synchronousStandbys.replace("'", "''") + "'",
                "synchronous_commit = on",
                "fsync = off",
                "full_page_writes = off",
                "shared_buffers = '64MB'",
                "cluster_name = '" + name + "'",
                "") + "\n");
    }

    void start() {
        tool("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", "120", "start");
    }

    /** {@code pg_ctl promote -w}: returns once the server accepts writes. */
    void promote() {
        tool("pg_ctl", "-D", data.toString(), "-w", "-t", "120", "promote");
    }

    /** This primary sees {@code standby} streaming, as its synchronous standby when {@code sync}; polls with a deadline. */
    void awaitStandby(PgNode standby, boolean sync) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String want = sync ? "sync" : "async";
        while (true) {
            try (Connection c = connect("postgres"); var s = c.prepareStatement(
                    "select sync_state from pg_stat_replication where application_name = ? and state = 'streaming'")) {
                s.setString(1, standby.name);
                try (var rs = s.executeQuery()) {
                    if (rs.next() && want.equals(rs.getString(1))) return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(standby.name + " is not a streaming " + want + " standby of " + name);
            }
            Thread.sleep(50); // polling pg_stat_replication with a deadline
        }
    }

    /** Changes a setting of the running server (ALTER SYSTEM + reload). */
    void set(String setting, String value) {
        sql("alter system set " + setting + " = '" + value.replace("'", "''") + "'");
        sql("select pg_reload_conf()");
    }

    void sql(String statement) {
        try (Connection c = connect("postgres"); var s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + statement + ": " + e.getMessage(), e);
        }
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres");
    }

    /** The machine lost: SIGKILL to the postmaster and all its processes, by pid; waits until they are gone. */
    void kill() {
        Long pid = postmasterPid();
        // A kill that silently did nothing would leave two primaries: only a server that is not running is no error.
        if (pid == null) {
            if (Files.exists(data.resolve("postmaster.pid"))) throw new IllegalStateException(name + ": unreadable postmaster.pid");
            return;
        }
        ProcessHandle postmaster = ProcessHandle.of(pid).orElse(null);
        if (postmaster == null) return;
        List<ProcessHandle> all = new ArrayList<>(postmaster.children().toList());
        all.add(0, postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (all.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(name + ": processes survived SIGKILL");
            Thread.onSpinWait();
        }
    }

    boolean running() {
        Long pid = postmasterPid();
        return pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private Long postmasterPid() {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) return null;
            return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stops a running server at once (it is thrown away) and deletes its directory. */
    @Override
    public void close() {
        if (running()) {
            try {
                tool("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "60", "stop");
            } catch (RuntimeException e) {
                kill();
            }
        }
        keepLog();
        deleteTree(dir);
    }

    /** This node's server log, appended to {@code target/failover-<root>-<name>.log} before its directory goes. */
    private void keepLog() {
        try {
            if (!Files.exists(log)) return;
            Path kept = Path.of("target", dir.getParent().getFileName() + "-" + name + ".log");
            Files.createDirectories(kept.getParent());
            Files.write(kept, Files.readAllBytes(log), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // only a diagnostic
        }
    }

    private void prepareDir() {
        if (running()) kill();
        keepLog();
        deleteTree(dir);
        try {
            Files.createDirectories(dir);
            giveToNobody(dir.getParent());
            giveToNobody(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void tool(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (asNobody) command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Path toolLog = dir.resolve("tools.log");
        try {
            append(toolLog, "--- " + String.join(" ", command) + "\n");
            ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(toolLog.toFile())).redirectErrorStream(true);
            b.environment().put("LC_ALL", "C");
            b.environment().remove("PGDATA");
            b.environment().put("HOME", dir.toString());
            Process p = b.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + ": " + tool + " did not finish; see " + toolLog);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(name + ": " + String.join(" ", command) + " exited with " + p.exitValue()
                        + ":\n" + tail(toolLog) + "\n(server log " + log + ")\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    private void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            giveToNobody(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            giveToNobody(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void giveToNobody(Path path) throws IOException {
        if (!asNobody) return;
        Files.setAttribute(path, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
