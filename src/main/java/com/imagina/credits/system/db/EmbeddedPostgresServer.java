package com.imagina.credits.system.db;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server for running the service without an external database ({@code CREDITS_DB_URL} unset),
 * built from the zonky binaries on the classpath and driven with {@code initdb}/{@code pg_ctl}. Its data
 * survives restarts: {@code initdb} runs only when the data directory holds no cluster yet.
 *
 * <p>Layout of the server home (the data directory, or the directory named in its
 * {@code embedded-postgres-location} when nobody cannot enter it, see {@link ServerHome}):
 * <ul>
 *   <li>{@code pg/} the cluster (PGDATA), mode 0700;</li>
 *   <li>{@code pg-bin/} the unpacked binaries, unpacked once and reused ({@link PostgresBinaries});</li>
 *   <li>{@code postgres.log} everything the server and the tools print (moved to {@code postgres.log.1}
 *       once past 10 MB, at start).</li>
 * </ul>
 * The data directory itself always holds {@code .embedded-postgres.lock}, locked by the process whose server
 * runs there, with its pid and ports ({@link DataDirectoryLock}).
 *
 * <p>When this JVM runs as root the server runs as {@code nobody} (uid/gid 65534), because PostgreSQL refuses
 * to run as root: {@code pg/} and the log are then owned by nobody. The server listens on 127.0.0.1 on a port
 * picked at each start, with trust authentication for user {@code postgres}, and without a unix socket (socket
 * paths are limited to about 100 bytes, which deep data directories exceed, and we only connect over TCP).
 *
 * <p>A second start on a directory whose owner is alive is refused, naming the owner; its server is left
 * alone. A JVM killed with SIGKILL loses its lock but leaves its postmaster running (pg_ctl detaches it);
 * the next start finds it through {@code pg_ctl status} and stops it first. A postmaster.pid left by a dead
 * server is cleared by PostgreSQL itself. Every failure is an {@link EmbeddedPostgresException} with a
 * one-sentence message.
 */
final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String USER = "postgres";
    private static final int PORT_ATTEMPTS = 3;
    private static final long ROTATE_LOG_BYTES = 10L * 1024 * 1024;

    private final PgTools tools;
    private final Path cluster;
    private final int port;
    private final long postmasterPid;
    private final DataDirectoryLock lock;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread shutdownHook;

    private EmbeddedPostgresServer(PgTools tools, Path cluster, int port, long postmasterPid, DataDirectoryLock lock) {
        this.tools = tools;
        this.cluster = cluster;
        this.port = port;
        this.postmasterPid = postmasterPid;
        this.lock = lock;
        lock.recordPostgresPort(port);
        // A backstop for owners that never call close(). It runs concurrently with Spring's own shutdown
        // hook, which closes the pool and then calls close(); so it asks for a *smart* shutdown without
        // waiting: open sessions keep working and the server goes down once they end (at the latest when
        // this JVM exits and its sockets close), instead of pulling the database from under a graceful stop.
        this.shutdownHook = new Thread(() -> stop("smart", false), "embedded-postgres-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts (initialising on first use) the server whose files live in {@code dataDirectory}. */
    static EmbeddedPostgresServer start(Path dataDirectory) {
        return start(dataDirectory, ServerHome.OUTSIDE_BASES);
    }

    /** As {@link #start(Path)}, with the places where a server home may be made when nobody cannot enter the data directory. */
    static synchronized EmbeddedPostgresServer start(Path dataDirectory, List<Path> outsideBases) {
        Path dataDir = createDataDirectory(dataDirectory.toAbsolutePath().normalize());
        // Held until close() (or this process's death): a second start is refused instead of touching our server.
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
        try {
            return startLocked(dataDir, outsideBases, lock);
        } catch (IOException e) {
            lock.close();
            throw new EmbeddedPostgresException("a file operation in the data directory " + dataDir + " failed ("
                    + EmbeddedPostgresException.describe(e) + "); point credits.db.embedded-data-dir at a directory"
                    + " this process can write", e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    String user() {
        return USER;
    }

    int port() {
        return port;
    }

    /** The postmaster's process id (for diagnostics and tests). */
    long postmasterPid() {
        return postmasterPid;
    }

    /** Where the cluster lives (PGDATA). */
    Path clusterDirectory() {
        return cluster;
    }

    /** Records the service's HTTP port in the lock file, so that a refused second start can name it. */
    void recordHttpPort(int httpPort) {
        lock.recordHttpPort(httpPort);
    }

    /** Stops the server (fast: open transactions roll back) and waits until it is down. Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook may be running right now; stop() below still does the right thing.
        }
        stop("fast", true);
    }

    private void stop(String mode, boolean waitForIt) {
        if (!stopped.compareAndSet(false, true)) return;
        try {
            stopServer(mode, waitForIt);
        } finally {
            lock.close();
        }
    }

    private void stopServer(String mode, boolean waitForIt) {
        // After a crash of *this* instance's owner, a newer instance may have stopped our postmaster and
        // started its own on the same directory; stopping that one would pull the database from under it.
        if (!runsOurPostmaster()) {
            log.info("The embedded PostgreSQL in {} is no longer the one this instance started; leaving it alone", cluster);
            return;
        }
        try {
            int rc = tools.run("pg_ctl", "stop", "-D", cluster.toString(), "-m", mode, waitForIt ? "-w" : "-W",
                    "-t", String.valueOf(PgTools.PG_CTL_WAIT.toSeconds()));
            if (rc != 0) log.warn("pg_ctl stop exited with code {}; see {}", rc, tools.logFile());
        } catch (EmbeddedPostgresException e) {
            log.warn("The embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private boolean runsOurPostmaster() {
        Long pid = readPostmasterPid(cluster);
        return pid != null && pid == postmasterPid;
    }

    // ---------------------------------------------------------------------------------------- starting

    private static Path createDataDirectory(Path dataDir) {
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new EmbeddedPostgresException("the data directory " + dataDir + " exists but is not a directory;"
                    + " point credits.db.embedded-data-dir at a directory or set CREDITS_DB_URL to an external PostgreSQL");
        }
        try {
            if (!Files.isDirectory(dataDir)) {
                Files.createDirectories(dataDir);
                // Whatever the umask: nobody must be able to enter it (see the class comment).
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return dataDir.toRealPath();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("the data directory " + dataDir + " could not be created ("
                    + EmbeddedPostgresException.describe(e) + ")", e);
        }
    }

    private static EmbeddedPostgresServer startLocked(Path dataDir, List<Path> outsideBases, DataDirectoryLock lock)
            throws IOException {
        boolean asNobody = PgTools.runningAsRoot();
        Path home = ServerHome.choose(dataDir, asNobody, outsideBases);
        Path logFile = home.resolve("postgres.log");
        PgTools tools = PgTools.create(home.resolve("pg-bin/bin"), home, logFile, asNobody);
        PostgresBinaries.install(home.resolve("pg-bin"));
        Path cluster = home.resolve("pg");

        boolean initialised = Files.isRegularFile(cluster.resolve("PG_VERSION"));
        if (initialised && asNobody && (Integer) Files.getAttribute(cluster, "unix:uid") != PgTools.NOBODY) {
            tools.giveToServer(cluster); // e.g. created by an earlier non-root run; nobody must read it even for pg_ctl status
        }
        stopLeftoverServer(tools, cluster); // before touching the log: a leftover server still writes to it
        prepareLog(tools, logFile);
        if (!initialised) initCluster(tools, cluster);
        return startServer(tools, cluster, lock);
    }

    /** Stops a server that an earlier (crashed) owner left running on this cluster. */
    private static void stopLeftoverServer(PgTools tools, Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return;
        long logOffset = tools.logSize();
        int status = tools.run("pg_ctl", "status", "-D", cluster.toString());
        if (status == 3) {
            log.info("Found a stale {} (no server runs); PostgreSQL will replace it", pidFile);
            return;
        }
        if (status != 0) {
            throw failure(tools, "pg_ctl status exited with code " + status + " for " + cluster, logOffset);
        }
        Long pid = readPostmasterPid(cluster);
        if (pid != null && !isLivePostgres(pid)) {
            // pg_ctl only asks kill(pid, 0), which also succeeds for a killed postmaster not yet reaped (a
            // zombie) and for an unrelated process that got the pid after a reboot: the file is stale after all.
            log.info("{} names process {}, which is not a running PostgreSQL; removing the stale file", pidFile, pid);
            Files.delete(pidFile);
            return;
        }
        // The data directory's lock was free, so the process that started this server is gone (see DataDirectoryLock).
        log.warn("A PostgreSQL server (pid {}) left by an earlier run whose process died is still running on {}; stopping it", pid, cluster);
        String wait = String.valueOf(PgTools.PG_CTL_WAIT.toSeconds());
        if (tools.run("pg_ctl", "stop", "-D", cluster.toString(), "-m", "fast", "-w", "-t", wait) != 0
                && tools.run("pg_ctl", "stop", "-D", cluster.toString(), "-m", "immediate", "-w", "-t", wait) != 0) {
            throw failure(tools, "a server left running on " + cluster + " by an earlier run (pid " + pid
                    + ") could not be stopped", logOffset);
        }
    }

    private static void prepareLog(PgTools tools, Path logFile) throws IOException {
        if (Files.exists(logFile) && Files.size(logFile) > ROTATE_LOG_BYTES) {
            Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(logFile)) Files.createFile(logFile);
        Files.setPosixFilePermissions(logFile, PosixFilePermissions.fromString("rw-------"));
        tools.giveToServer(logFile); // the postmaster appends to it as nobody
    }

    /** initdb into a staging directory renamed into place, so an interrupted initdb is simply redone. */
    private static void initCluster(PgTools tools, Path cluster) throws IOException {
        if (Files.exists(cluster)) {
            try (var entries = Files.list(cluster)) {
                if (entries.findAny().isPresent()) {
                    throw new EmbeddedPostgresException(cluster + " is not empty but holds no PostgreSQL cluster (no PG_VERSION);"
                            + " move it away so that a new cluster can be created there, or point credits.db.embedded-data-dir elsewhere");
                }
            }
        }
        log.info("Creating a new PostgreSQL cluster in {}", cluster);
        Path staging = cluster.resolveSibling(cluster.getFileName() + ".initdb");
        PostgresBinaries.deleteTree(staging);
        Files.createDirectory(staging);
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwx------"));
        tools.giveToServer(staging);
        long logOffset = tools.logSize();
        int rc = tools.run("initdb", "-D", staging.toString(), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C");
        if (rc != 0) throw failure(tools, "initdb exited with code " + rc, logOffset);
        // rename(2) replaces an empty directory, which covers an empty pg/ made by hand.
        Files.move(staging, cluster, StandardCopyOption.ATOMIC_MOVE);
    }

    private static EmbeddedPostgresServer startServer(PgTools tools, Path cluster, DataDirectoryLock lock) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            long logOffset = tools.logSize();
            // No unix socket (see the class comment); -w waits until the server accepts connections.
            int rc = tools.run("pg_ctl", "start", "-D", cluster.toString(), "-l", tools.logFile().toString(), "-w",
                    "-t", String.valueOf(PgTools.PG_CTL_WAIT.toSeconds()),
                    "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''");
            Long pid = rc == 0 ? readPostmasterPid(cluster) : null;
            if (pid != null) {
                log.info("The embedded PostgreSQL (pid {}) listens on 127.0.0.1:{}", pid, port);
                return new EmbeddedPostgresServer(tools, cluster, port, pid, lock);
            }
            String output = readFrom(tools.logFile(), logOffset);
            // Another process may take the port between our probe and the server's bind; pick another.
            boolean portTaken = output.contains("could not bind") || output.contains("could not create any TCP/IP sockets");
            if (!portTaken || attempt == PORT_ATTEMPTS) {
                // pg_ctl -w gives up after its timeout while the server may still be starting up: do not leave it behind.
                if (tools.run("pg_ctl", "status", "-D", cluster.toString()) == 0) {
                    tools.run("pg_ctl", "stop", "-D", cluster.toString(), "-m", "immediate", "-w");
                }
                throw failure(tools, "pg_ctl start exited with code " + rc, logOffset);
            }
            log.info("Port {} was taken before PostgreSQL could bind it; trying another", port);
        }
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** The exception for a failed tool run: the postgres FATAL line (if any) in the message, the log tail in debug. */
    private static EmbeddedPostgresException failure(PgTools tools, String what, long logOffset) {
        String output = readFrom(tools.logFile(), logOffset);
        List<String> lines = output.lines().toList();
        log.debug("Last lines of {}:{}{}", tools.logFile(), System.lineSeparator(),
                String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        String fatal = lines.stream().filter(l -> l.contains("FATAL:")).reduce((a, b) -> b)
                .map(l -> l.substring(l.indexOf("FATAL:") + 6).trim()).orElse(null);
        String where = Files.exists(tools.logFile()) ? "; the full log is in " + tools.logFile() : "";
        return new EmbeddedPostgresException(what + (fatal != null ? " (postgres said: " + fatal + ")" : "") + where);
    }

    private static String readFrom(Path file, long offset) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.min(offset, in.length());
            byte[] bytes = new byte[(int) Math.min(in.length() - start, 1 << 20)];
            in.seek(in.length() - bytes.length);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The first line of postmaster.pid, or null when there is none (server stopped). */
    private static Long readPostmasterPid(Path cluster) {
        try {
            List<String> lines = Files.readAllLines(cluster.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? null : Long.valueOf(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Where /proc is available, whether the process is alive (not a zombie) and runs postgres; assume so elsewhere. */
    private static boolean isLivePostgres(long pid) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        if (!Files.isDirectory(Path.of("/proc/self"))) return true;
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
            char state = stat.charAt(stat.lastIndexOf(')') + 2); // "pid (comm) S ..."; comm may contain spaces
            String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return state != 'Z' && state != 'X' && cmdline.contains("postgres");
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
