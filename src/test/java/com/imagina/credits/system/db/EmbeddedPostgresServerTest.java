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
        EmbeddedPostgresServer crashed = start(); // never closed: its owner "was SIGKILLed"
        execute(crashed, "create table ledger (id int primary key, note text not null)",
                "insert into ledger values (1, 'before the crash')");

        EmbeddedPostgresServer next = start();
        assertThat(next.postmasterPid()).isNotEqualTo(crashed.postmasterPid());
        awaitExit(crashed.postmasterPid()); // the leftover was stopped, not merely ignored
        assertThat(notes(next)).containsExactly("before the crash");

        // The crashed instance's late close (its shutdown hook) must not stop the server that replaced it.
        crashed.close();
        assertThat(notes(next)).containsExactly("before the crash");
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
    void aDataDirectoryNobodyCannotEnterFailsWithOneSentence() throws IOException {
        assumeTrue(PgTools.runningAsRoot(), "only root drops to nobody");
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Path inner = dataDir.resolve("data");
        EmbeddedPostgresException e = assertThrows(EmbeddedPostgresException.class,
                () -> started.add(EmbeddedPostgresServer.start(inner)));
        assertOneSentence(e.getMessage());
        assertThat(e.getMessage()).contains("'nobody'", dataDir.toString());
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

    private static void execute(EmbeddedPostgresServer server, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
                Statement s = c.createStatement()) {
            for (String statement : sql) s.execute(statement);
        }
    }

    private static List<String> notes(EmbeddedPostgresServer server) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
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
