package com.imagina.credits.system.db;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Who owns a data directory: the process that started its server holds an exclusive lock on
 * {@code .embedded-postgres.lock} for as long as the server runs, and writes its pid and ports into it.
 *
 * <p>The operating system drops the lock when its holder dies, however it dies (SIGKILL included). So a
 * lock that cannot be taken means a live owner, whose server is left alone and whose pid and ports the
 * refusal names; a lock that can be taken while a postmaster still runs means that postmaster was left by a
 * dead owner and may be stopped (see {@link EmbeddedPostgresServer}).
 *
 * <p>Within one JVM the lock is also kept in a map: a {@link FileLock} belongs to the whole process, and on
 * Linux closing <em>any</em> channel to the file would release it, so this process never opens the file a
 * second time while it holds it.
 */
final class DataDirectoryLock implements AutoCloseable {
    static final String FILE = ".embedded-postgres.lock";
    private static final Map<Path, DataDirectoryLock> HELD = new HashMap<>();

    private final Path dataDir;
    private final FileChannel channel;
    private final Properties owner = new Properties();

    private DataDirectoryLock(Path dataDir, FileChannel channel) {
        this.dataDir = dataDir;
        this.channel = channel;
        owner.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
    }

    /** Takes the lock or refuses with one sentence naming the owner; never waits. */
    static synchronized DataDirectoryLock acquire(Path dataDir) {
        DataDirectoryLock mine = HELD.get(dataDir);
        if (mine != null) throw inUse(dataDir, mine.owner, " (this very process)");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw inUse(dataDir, readOwner(dataDir), "");
            }
            DataDirectoryLock held = new DataDirectoryLock(dataDir, channel);
            held.write();
            HELD.put(dataDir, held);
            return held;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EmbeddedPostgresException("the lock file " + dataDir.resolve(FILE) + " could not be used ("
                    + EmbeddedPostgresException.describe(e) + "); point credits.db.embedded-data-dir at a directory this"
                    + " process can write", e);
        }
    }

    synchronized void recordPostgresPort(int port) {
        owner.setProperty("postgres", "127.0.0.1:" + port);
        writeQuietly();
    }

    synchronized void recordHttpPort(int port) {
        owner.setProperty("http", String.valueOf(port));
        writeQuietly();
    }

    /** Releases the lock (the file stays: removing it would race with a process about to lock it). */
    @Override
    public void close() {
        synchronized (DataDirectoryLock.class) {
            HELD.remove(dataDir, this);
            closeQuietly(channel);
        }
    }

    private void write() throws IOException {
        StringBuilder text = new StringBuilder("# The process that runs the embedded PostgreSQL of this directory (locked while it runs)\n");
        for (String key : new String[] {"pid", "postgres", "http"}) {
            String value = owner.getProperty(key);
            if (value != null) text.append(key).append('=').append(value).append('\n');
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
    }

    private void writeQuietly() {
        try {
            write();
        } catch (IOException e) {
            // Only the refusal message of a second start gets less precise.
        }
    }

    private static Properties readOwner(Path dataDir) {
        Properties owner = new Properties();
        try {
            owner.load(new StringReader(Files.readString(dataDir.resolve(FILE), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            // An owner that has not written yet: the message says "another process".
        }
        return owner;
    }

    private static EmbeddedPostgresException inUse(Path dataDir, Properties owner, String thisProcess) {
        String pid = owner.getProperty("pid");
        String who = pid == null ? "another process" : "process " + pid + thisProcess;
        String postgres = owner.getProperty("postgres");
        String http = owner.getProperty("http");
        String what;
        if (http != null && postgres != null) what = ", which serves HTTP on port " + http + " and runs its PostgreSQL on " + postgres;
        else if (postgres != null) what = ", which runs its PostgreSQL on " + postgres;
        else what = ", which is still starting its PostgreSQL";
        return new EmbeddedPostgresException("the data directory " + dataDir + " is in use by " + who + what
                + "; stop that process first or point credits.db.embedded-data-dir at another directory");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
