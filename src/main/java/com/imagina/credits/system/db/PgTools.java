package com.imagina.credits.system.db;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the PostgreSQL command-line tools (initdb, pg_ctl) with a timeout, their output appended to one log
 * file (never to a pipe: the postmaster that {@code pg_ctl start} leaves behind would hold a pipe open).
 *
 * <p>PostgreSQL refuses to run as root, and our machines and CI do run as root; then every tool runs as
 * {@code nobody} through {@code setpriv}, and the files the server writes are handed to {@code nobody}.
 */
final class PgTools {
    static final int NOBODY = 65534;
    /** pg_ctl gets {@code -t} this long; the process timeout is a little longer so pg_ctl reports first. */
    static final Duration PG_CTL_WAIT = Duration.ofSeconds(60);
    private static final Duration PROCESS_TIMEOUT = PG_CTL_WAIT.plusSeconds(15);

    private final Path binDir;
    private final Path workDir;
    private final Path logFile;
    private final String setpriv; // null: run the tools as ourselves

    private PgTools(Path binDir, Path workDir, Path logFile, String setpriv) {
        this.binDir = binDir;
        this.workDir = workDir;
        this.logFile = logFile;
        this.setpriv = setpriv;
    }

    /**
     * @param workDir the tools' working directory; the data directory, because the JVM's own one (say
     *     /root) may be closed to nobody and the tools look up their working directory.
     * @param asNobody whether to drop from root to nobody; needs setpriv (util-linux).
     */
    static PgTools create(Path binDir, Path workDir, Path logFile, boolean asNobody) {
        String setpriv = null;
        if (asNobody) {
            setpriv = findOnPath("setpriv");
            if (setpriv == null) {
                throw new EmbeddedPostgresException("running as root needs the 'setpriv' command (util-linux), which was not found;"
                        + " install it, run the service as a non-root user, or set CREDITS_DB_URL to an external PostgreSQL");
            }
        }
        return new PgTools(binDir, workDir, logFile, setpriv);
    }

    boolean asNobody() {
        return setpriv != null;
    }

    Path logFile() {
        return logFile;
    }

    /** Runs {@code bin/<tool> args...} and returns its exit code; throws on timeout or when it cannot be run. */
    int run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (setpriv != null) {
            command.addAll(List.of(setpriv, "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        command.add(binDir.resolve(tool).toString());
        command.addAll(List.of(args));
        try {
            appendToLog("--- " + Instant.now() + " embedded-postgres runs: " + String.join(" ", command) + System.lineSeparator());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(Redirect.from(new File("/dev/null")))
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            // English messages (we look for "could not bind" in the log) and no locale surprises in initdb.
            builder.environment().put("LC_ALL", "C");
            builder.environment().remove("PGDATA");
            Process process = builder.start();
            if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                String name = args.length > 0 && !args[0].startsWith("-") ? tool + " " + args[0] : tool; // "pg_ctl start"
                throw new EmbeddedPostgresException(name + " did not finish within " + PROCESS_TIMEOUT.toSeconds()
                        + " seconds; the full log is in " + logFile);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new EmbeddedPostgresException(tool + " could not be run (" + EmbeddedPostgresException.describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("it was interrupted while waiting for " + tool, e);
        }
    }

    /** The log's current size, to read only what a following command adds. */
    long logSize() {
        try {
            return Files.size(logFile);
        } catch (IOException e) {
            return 0;
        }
    }

    void appendToLog(String text) throws IOException {
        Files.writeString(logFile, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Hands a file or a whole tree to nobody when we drop privileges; a no-op otherwise. */
    void giveToServer(Path path) throws IOException {
        if (setpriv == null) return;
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /** True when this JVM runs as root (uid 0). /proc/self is owned by the process's effective uid. */
    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * The first directory from the file-system root down to {@code dir} that nobody (uid/gid 65534, no
     * supplementary groups) cannot enter, or null when all can be entered. {@code dir} must exist and be a
     * real path (no symlinks). Ignores ACLs, which we do not use.
     */
    static Path firstUntraversableByNobody(Path dir) throws IOException {
        Path current = dir.getRoot();
        for (Path part : dir) {
            current = current.resolve(part);
            PosixFileAttributes attrs = Files.readAttributes(current, PosixFileAttributes.class);
            int uid = (Integer) Files.getAttribute(current, "unix:uid");
            int gid = (Integer) Files.getAttribute(current, "unix:gid");
            PosixFilePermission needed = uid == NOBODY ? PosixFilePermission.OWNER_EXECUTE
                    : gid == NOBODY ? PosixFilePermission.GROUP_EXECUTE : PosixFilePermission.OTHERS_EXECUTE;
            if (!attrs.permissions().contains(needed)) return current;
        }
        return null;
    }

    private static String findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/bin:/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate.toString();
        }
        return null;
    }
}
