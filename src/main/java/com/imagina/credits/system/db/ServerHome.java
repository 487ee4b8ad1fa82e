package com.imagina.credits.system.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the server's own files live (the cluster {@code pg/}, the binaries {@code pg-bin/}, {@code postgres.log}).
 *
 * <p>Normally in the data directory itself. But as root the server runs as {@code nobody}, and a checkout in
 * a directory nobody cannot enter (root's home is 0700) would need its parents opened to every user. We do
 * not loosen anybody's home: the server's files go to a directory of their own that nobody can reach,
 * {@code /var/lib/imagina-credits/<data directory's path>-<hash>} (else under {@code /var/tmp}), and the data
 * directory keeps the lock and a file {@value #LOCATION_FILE} naming that place, so the next start finds the
 * same cluster again. Nothing else changes: the data survives restarts, and deleting the data directory and
 * the directory it names starts afresh.
 */
final class ServerHome {
    static final String LOCATION_FILE = "embedded-postgres-location";
    static final List<Path> OUTSIDE_BASES = List.of(Path.of("/var/lib/imagina-credits"), Path.of("/var/tmp/imagina-credits"));
    private static final Logger log = LoggerFactory.getLogger(ServerHome.class);

    private ServerHome() {}

    /**
     * @param dataDir real path of an existing data directory
     * @param asNobody whether the server runs as nobody
     * @param outsideBases where a server home may be made when nobody cannot enter {@code dataDir}
     */
    static Path choose(Path dataDir, boolean asNobody, List<Path> outsideBases) throws IOException {
        if (!asNobody) return dataDir;
        Path blocked = PgTools.firstUntraversableByNobody(dataDir);
        if (blocked == null) return dataDir;
        String why = "this process runs as root, so PostgreSQL runs as user 'nobody', which cannot enter " + blocked;
        if (Files.isRegularFile(dataDir.resolve("pg/PG_VERSION"))) {
            throw new EmbeddedPostgresException(why + ", and " + dataDir.resolve("pg") + " holds a cluster made when it"
                    + " could; move that data directory where nobody can enter and point credits.db.embedded-data-dir at it");
        }
        Path locationFile = dataDir.resolve(LOCATION_FILE);
        if (Files.isRegularFile(locationFile)) {
            Path recorded = Path.of(Files.readString(locationFile, StandardCharsets.UTF_8).strip());
            if (recorded.isAbsolute() && Files.isDirectory(recorded) && PgTools.firstUntraversableByNobody(recorded.toRealPath()) == null) {
                log.info("The embedded PostgreSQL keeps its cluster in {} ({} names it): {}", recorded, locationFile, why);
                return recorded.toRealPath();
            }
            log.warn("{} names {}, which is gone or closed to nobody; making a new server home", locationFile, recorded);
        }
        List<String> refused = new ArrayList<>();
        for (Path base : outsideBases) {
            Path home = base.resolve(name(dataDir));
            try {
                makeOpenDirectories(home);
                Path real = home.toRealPath();
                Path closed = PgTools.firstUntraversableByNobody(real);
                if (closed != null) {
                    refused.add(home + " (nobody cannot enter " + closed + ")");
                    continue;
                }
                Files.writeString(locationFile, real + "\n", StandardCharsets.UTF_8);
                log.info("The embedded PostgreSQL keeps its cluster in {} (named in {}): {}", real, locationFile, why);
                return real;
            } catch (IOException e) {
                refused.add(home + " (" + EmbeddedPostgresException.describe(e) + ")");
            }
        }
        throw new EmbeddedPostgresException(why + ", and no directory it can enter could be made for the cluster instead ("
                + String.join(", ", refused) + "); point credits.db.embedded-data-dir at a directory nobody can enter");
    }

    /** Creates the missing directories of {@code dir}, each 0755 whatever the umask (root owns them). */
    private static void makeOpenDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) missing.add(0, p);
        for (Path p : missing) {
            Files.createDirectory(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** "root-some-dir-data-1a2b3c4d": readable, and unique per data directory. */
    static String name(Path dataDir) {
        String readable = dataDir.toString().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+", "");
        if (readable.length() > 60) readable = readable.substring(readable.length() - 60);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dataDir.toString().getBytes(StandardCharsets.UTF_8));
            return (readable.isEmpty() ? "data" : readable) + "-" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
