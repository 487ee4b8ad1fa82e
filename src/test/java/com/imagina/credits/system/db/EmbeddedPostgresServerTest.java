package com.imagina.credits.system.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Starts real servers in directories under target/ (not a JUnit @TempDir: that is mode 0700 under /tmp,
 * which nobody cannot enter when we run as root, as the CI does).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmbeddedPostgresServerTest {
    private static final Path BASE = Path.of("target", "embedded-pg-tests").toAbsolutePath();

    private final List<EmbeddedPostgresServer> started = new ArrayList<>();
    private Path dataDir;

    @BeforeEach
    void makeDataDirectory(TestInfo test) throws IOException {
        Files.createDirectories(BASE);
        Files.setPosixFilePermissions(BASE, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (PgTools.runningAsRoot()) {
            assertThat(PgTools.firstUntraversableByNobody(BASE.toRealPath()))
                    .as("nobody must be able to enter the test directory").isNull();
        }
        dataDir = BASE.resolve(test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime());
    }

    @AfterEach
    void stopServersAndCleanUp() throws IOException {
        Collections.reverse(started);
        started.forEach(EmbeddedPostgresServer::close); // close() only stops a postmaster it still owns
        PostgresBinaries.deleteTree(dataDir);
    }

    @Test
    void theCiRunsAsRootSoTheServerRunsAsNobody() throws IOException {
        assumeTrue(PgTools.runningAsRoot(), "only meaningful as root");
        EmbeddedPostgresServer server = start();
        assertThat(Files.getAttribute(Path.of("/proc", String.valueOf(server.postmasterPid())), "unix:uid"))
                .isEqualTo(PgTools.NOBODY);
        assertThat(Files.getAttribute(dataDir.resolve("pg"), "unix:uid")).isEqualTo(PgTools.NOBODY);
    }

    @Test
    void dataSurvivesARestart() throws Exception {
        EmbeddedPostgresServer first = start();
        assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + first.port() + "/postgres");
        assertThat(first.user()).isEqualTo("postgres");
        execute(first, "create table ledger (id int primary key, note text not null)",
                "insert into ledger values (1, 'kept')");
        long firstPid = first.postmasterPid();
        first.close();
        assertThat(dataDir.resolve("pg/postmaster.pid")).doesNotExist();
        awaitExit(firstPid);
        first.close(); // idempotent

        EmbeddedPostgresServer second = start();
        assertThat(notes(second)).containsExactly("kept");
    }

    @Test
    void recoversWhenTheOwnerDiedWithoutClosing() throws Exception {
        long leftoverPid;
        try (OwnerProcess owner = OwnerProcess.start(dataDir, 18080, childLog())) {
            execute(owner.postgresPort, "create table ledger (id int primary key, note text not null)",
                    "insert into ledger values (1, 'before the crash')");
            leftoverPid = postmasterPidInFile();
            owner.kill(); // SIGKILL: its postmaster keeps running, its lock is gone
        }
        assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive)).contains(true);

        EmbeddedPostgresServer next = start();
        assertThat(next.postmasterPid()).isNotEqualTo(leftoverPid);
        awaitExit(leftoverPid); // the leftover was stopped, not merely ignored
        assertThat(notes(next)).containsExactly("before the crash");
    }

    @Test
    void aSecondStartWhileTheOwnerLivesIsRefusedAndLeavesItsServerAlone() throws Exception {
        try (OwnerProcess owner = OwnerProcess.start(dataDir, 18081, childLog())) {
            execute(owner.postgresPort, "create table ledger (id int primary key, note text not null)",
                    "insert into ledger values (1, 'still served')");
            long postmaster = postmasterPidInFile();

            long before = System.nanoTime();
            EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class, this::start);
            assertThat(System.nanoTime() - before).as("refused at once, without waiting for the owner")
                    .isLessThan(TimeUnit.SECONDS.toNanos(20));
            assertOneSentence(e.getMessage());
            assertThat(e.getMessage()).contains(dataDir.toRealPath().toString(), "in use by process " + owner.pid(),
                    "HTTP on port 18081", "127.0.0.1:" + owner.postgresPort, "credits.db.embedded-data-dir");

            // The owner's server was not touched: same postmaster, still answering.
            assertThat(postmasterPidInFile()).isEqualTo(postmaster);
            assertThat(notes(owner.postgresPort)).containsExactly("still served");
            owner.kill();
        }
        start(); // recovers the server the killed owner left, so nothing outlives the test
    }

    @Test
    void aSecondStartInTheSameProcessIsRefused() throws Exception {
        EmbeddedPostgresServer first = start();
        EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class, this::start);
        assertOneSentence(e.getMessage());
        assertThat(e.getMessage()).contains("in use by process " + ProcessHandle.current().pid(),
                "127.0.0.1:" + first.port());
        execute(first, "select 1");
        first.close();
        start().close(); // free again once closed
    }

    @Test
    void recoversFromAStalePostmasterPidAfterTheServerWasKilled() throws Exception {
        EmbeddedPostgresServer killed = start();
        execute(killed, "create table ledger (id int primary key, note text not null)",
                "insert into ledger values (1, 'committed')");
        ProcessHandle postmaster = ProcessHandle.of(killed.postmasterPid()).orElseThrow();
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        // The children notice their postmaster's death and exit; wait for that instead of sleeping, because a
        // child still attached to the old shared memory would (rightly) keep a new postmaster from starting.
        awaitExit(postmaster.pid());
        for (ProcessHandle child : children) awaitExit(child.pid());
        killed.close(); // its owner shuts down (or dies): the directory is free, the pid file stays
        assertThat(dataDir.resolve("pg/postmaster.pid")).exists();

        EmbeddedPostgresServer next = start();
        assertThat(notes(next)).containsExactly("committed");
    }

    @Test
    void aDataDirectoryThatIsAFileFailsWithOneSentence() throws IOException {
        Files.createDirectories(BASE);
        Files.writeString(dataDir, "not a directory");
        try {
            EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class, () -> start());
            assertOneSentence(e.getMessage());
            assertThat(e).isInstanceOf(IllegalStateException.class);
            assertThat(e.getMessage()).contains(dataDir.toString(), "is not a directory", "CREDITS_DB_URL");
        } finally {
            Files.delete(dataDir);
        }
    }

    @Test
    void aDataDirectoryNobodyCannotEnterKeepsItsClusterWhereNobodyCanAndLeavesModesAlone() throws Exception {
        assumeTrue(PgTools.runningAsRoot(), "only root drops to nobody");
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------")); // like /root
        Path inner = dataDir.resolve("data");
        Path outside = BASE.resolve("outside-" + System.nanoTime());
        try {
            EmbeddedPostgresServer first = EmbeddedPostgresServer.start(inner, List.of(outside));
            started.add(first);
            Path home = outside.resolve(ServerHome.name(inner.toRealPath()));
            assertThat(first.clusterDirectory()).isEqualTo(home.toRealPath().resolve("pg"));
            assertThat(Files.getAttribute(first.clusterDirectory(), "unix:uid")).isEqualTo(PgTools.NOBODY);
            assertThat(Files.readString(inner.resolve(ServerHome.LOCATION_FILE)).strip()).isEqualTo(home.toRealPath().toString());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            execute(first, "create table ledger (id int primary key, note text not null)", "insert into ledger values (1, 'kept')");
            first.close();

            EmbeddedPostgresServer second = EmbeddedPostgresServer.start(inner, List.of(outside));
            started.add(second);
            assertThat(second.clusterDirectory()).isEqualTo(first.clusterDirectory());
            assertThat(notes(second)).containsExactly("kept");
            second.close();
        } finally {
            PostgresBinaries.deleteTree(outside);
        }
    }

    @Test
    void noPlaceNobodyCanEnterFailsNamingTheSetting() throws IOException {
        assumeTrue(PgTools.runningAsRoot(), "only root drops to nobody");
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Path inner = dataDir.resolve("data");
        Path closedBase = dataDir.resolve("closed-too");
        EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class,
                () -> started.add(EmbeddedPostgresServer.start(inner, List.of(closedBase))));
        assertOneSentence(e.getMessage());
        assertThat(e.getMessage()).contains("'nobody'", dataDir.toString(), "credits.db.embedded-data-dir");
        assertThat(e.getMessage()).doesNotContain("log"); // no log was written, so none is pointed at
        DataDirectoryLock.acquire(inner.toRealPath()).close(); // the failed start released its lock
    }

    @Test
    void aFailingServerStartReportsPostgresReasonInOneSentence() throws Exception {
        // A cluster that postgres refuses to start: a garbage setting in postgresql.conf.
        start().close();
        Files.writeString(dataDir.resolve("pg/postgresql.conf"), "shared_buffers = 'lots'\n", StandardOpenOption.APPEND);
        EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class, this::start);
        assertOneSentence(e.getMessage());
        assertThat(e.getMessage()).contains("pg_ctl start exited with code", "postgres.log");
        assertThat(dataDir.resolve("pg/postmaster.pid")).doesNotExist();
    }

    @Test
    void theFailureAnalyzerShowsTheSentenceInsteadOfAStackTrace() {
        EmbeddedPostgresException cause = new EmbeddedPostgresException("something is off");
        FailureAnalysis analysis = new EmbeddedPostgresFailureAnalyzer()
                .analyze(new BeanCreationException("dataSource", "wrapped", cause));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("The embedded PostgreSQL could not start: something is off.");
        assertThat(analysis.getAction()).contains("CREDITS_DB_URL");
        assertThat(new EmbeddedPostgresFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
    }

    @Test
    void theFailureAnalyzerIsRegisteredInSpringFactories() throws IOException {
        boolean registered = false;
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            Properties factories = new Properties();
            try (InputStream in = url.openStream()) {
                factories.load(in);
            }
            String analyzers = factories.getProperty("org.springframework.boot.diagnostics.FailureAnalyzer", "");
            registered |= List.of(analyzers.split("\\s*,\\s*")).contains(EmbeddedPostgresFailureAnalyzer.class.getName());
        }
        assertThat(registered).isTrue();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private EmbeddedPostgresServer start() {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir);
        started.add(server);
        return server;
    }

    private static void assertOneSentence(String message) {
        assertThat(message).startsWith("The embedded PostgreSQL could not start: ").endsWith(".")
                .doesNotContain("\n").doesNotContain("Exception");
        assertThat(message.substring(0, message.length() - 1)).doesNotContain(". ");
    }

    private Path childLog() throws IOException {
        Files.createDirectories(BASE);
        return BASE.resolve(dataDir.getFileName() + "-owner.log");
    }

    private Long postmasterPidInFile() throws IOException {
        return Long.valueOf(Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).get(0).trim());
    }

    private static void execute(EmbeddedPostgresServer server, String... sql) throws SQLException {
        execute(server.port(), sql);
    }

    private static List<String> notes(EmbeddedPostgresServer server) throws SQLException {
        return notes(server.port());
    }

    private static void execute(int port, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            for (String statement : sql) s.execute(statement);
        }
    }

    private static List<String> notes(int port) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select note from ledger order by id")) {
            List<String> notes = new ArrayList<>();
            while (rs.next()) notes.add(rs.getString(1));
            return notes;
        }
    }

    /**
     * Polls until the process is gone. A zombie counts as gone: it holds no memory or files any more, and
     * in a container whose init does not reap orphans (java or mvn as pid 1) it would never disappear.
     */
    private static void awaitExit(long pid) throws Exception {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String state;
            try {
                String line = Files.readString(stat);
                state = line.substring(line.lastIndexOf(')') + 2, line.lastIndexOf(')') + 3);
            } catch (IOException gone) {
                return;
            }
            if (state.equals("Z") || state.equals("X")) return;
            assertThat(System.nanoTime()).as("process %d still runs after 60 s", pid).isLessThan(deadline);
            Thread.sleep(20); // polling a condition with a deadline, not a guess at how long things take
        }
    }
}
