package com.imagina.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.support.ApiTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's first screen, run as a newcomer would: the service started the README's way (the dev
 * profile, no CREDITS_JWT_SECRET) as a process of its own, then the README's curl lines executed by bash
 * against it. The same start's log must hold no WARN line (a normal dev start is clean), and a token
 * minted before a restart still works after it (the dev secret is kept in a file).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeQuickstartTest {
    private static final Path WORK = Path.of("target", "readme-quickstart").toAbsolutePath();
    private static final Path LOG = WORK.resolve("service.log");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static int port;
    private static Process service;

    @BeforeAll
    static void startTheReadmeWay() throws Exception {
        Files.createDirectories(WORK);
        Files.deleteIfExists(WORK.resolve("dev-jwt-secret"));
        Files.deleteIfExists(LOG);
        String run = block("readme:run");
        assertThat(run).as("the README's run command").contains("./mvnw spring-boot:run -Dspring-boot.run.profiles=dev -Dmaven.test.skip=true");
        port = freePort();
        service = start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(60, TimeUnit.SECONDS)) service.destroyForcibly();
        }
    }

    @Test
    @Order(1)
    void theReadmeLinesGetATokenAndAuthorizeAndSettleAFirstTurn() throws Exception {
        String script = block("readme:quickstart").replace("API=http://localhost:8080", "API=" + baseUrl());
        assertThat(script).contains("/dev/tokens").contains("/api/v1/turns").contains("Authorization: Bearer $TOKEN");
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();

        List<JsonNode> answers = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) answers.add(JSON.readTree(line));
        }
        assertThat(answers).as(out).hasSize(4);
        assertThat(answers.get(0).path("title").asText()).isEqualTo("The Salt Road");
        assertThat(answers.get(1).path("status").asText()).as(out).isEqualTo("authorized");
        assertThat(answers.get(2).path("status").asText()).as(out).isEqualTo("settled");
        assertThat(answers.get(2).path("costMillicredits").asLong()).isPositive();
        assertThat(answers.get(3).path("accountId").asText()).isEqualTo("u-1");
        Matcher link = Pattern.compile("Dashboard of u-1: " + Pattern.quote(baseUrl()) + "/#token=([\\w-]+\\.[\\w-]+\\.[\\w-]+)")
                .matcher(out);
        assertThat(link.find()).as(out).isTrue();
        assertThat(get("/api/v1/accounts/me", link.group(1)).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aNormalDevStartLogsNoWarning() throws IOException {
        List<String> warnings = Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(" WARN ") || line.startsWith("WARN") || line.contains("WARNING"))
                .collect(Collectors.toList());
        assertThat(Files.readString(LOG)).contains("Started CreditsApplication");
        assertThat(warnings).as("WARN lines in " + LOG).isEmpty();
    }

    @Test
    @Order(3)
    void aDevTokenSurvivesARestart() throws Exception {
        HttpResponse<String> minted = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/dev/tokens?accountId=u-restart&role=player"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(minted.body());
        assertThat(body.path("roles").toString()).isEqualTo("[\"player\"]");
        String token = body.path("token").asText();
        assertThat(get("/api/v1/accounts/me", token).statusCode()).isEqualTo(200);

        stop();
        service = start();
        HttpResponse<String> after = get("/api/v1/accounts/me", token);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(JSON.readTree(after.body()).path("accountId").asText()).isEqualTo("u-restart");
    }

    /** The indented lines between {@code <!-- name -->} and {@code <!-- /name -->} in README.md. */
    static String block(String name) throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- " + Pattern.quote(name) + " -->\\n(.*?)<!-- /" + Pattern.quote(name) + " -->",
                Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README.md has a block " + name).isTrue();
        return m.group(1).lines().map(l -> l.startsWith("    ") ? l.substring(4) : l).collect(Collectors.joining("\n")) + "\n";
    }

    private static Process start() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classpath, CreditsApplication.class.getName(),
                // What -Dspring-boot.run.profiles=dev gives; the rest only keeps this run apart from others.
                "--spring.profiles.active=dev",
                "--server.port=" + port,
                "--credits.jwt.secret=",
                "--credits.dev.jwt-secret-file=" + WORK.resolve("dev-jwt-secret"),
                "--credits.db.schema=" + ApiTest.SCHEMA + "_readme"));
        String dbUrl = System.getenv("CREDITS_DB_URL");
        if (dbUrl == null || dbUrl.isBlank()) {
            command.add("--credits.db.embedded-data-dir=" + WORK.resolve("data"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (!healthy()) {
            assertThat(process.isAlive()).as("the service exited; see " + LOG).isTrue();
            assertThat(System.nanoTime()).as("the service was not healthy within 240 s; see " + LOG).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return process;
    }

    private static boolean healthy() throws InterruptedException {
        try {
            return get("/actuator/health", null).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
