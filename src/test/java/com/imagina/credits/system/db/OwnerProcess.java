package com.imagina.credits.system.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM that owns an embedded server, as a second service instance would: {@link #main} starts the
 * server, records a made-up HTTP port and prints "READY pid port" until killed. The tests kill it with
 * SIGKILL to leave a server behind whose owner is really dead.
 */
final class OwnerProcess implements AutoCloseable {
    final Process process;
    final int postgresPort;

    private OwnerProcess(Process process, int postgresPort) {
        this.process = process;
        this.postgresPort = postgresPort;
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]));
        server.recordHttpPort(Integer.parseInt(args[1]));
        System.out.println("READY " + ProcessHandle.current().pid() + " " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until killed or its stdin closes
        }
        server.close();
    }

    static OwnerProcess start(Path dataDir, int httpPort, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, OwnerProcess.class.getName(),
                dataDir.toString(), String.valueOf(httpPort)));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                String[] parts = line.split(" ");
                return new OwnerProcess(process, Integer.parseInt(parts[2]));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the owner process ended before its server was ready: " + Files.readString(log));
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, the postmaster stays behind. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
    }
}
