package com.imagina.credits.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook receiver for tests: the JDK's HTTP server on a free port, recording every POST as it
 * arrived, verifying {@code Imagina-Signature} the way the README tells receivers to, independently of
 * the service's code. {@link #behaviour} decides each answer (status, or a delay first).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received (at its arrival), with the status it was answered. */
    public record Received(String eventId, String type, String accountId, long sequence, JsonNode event,
            String body, String signature, boolean signatureValid, int answered, Instant at) {}

    /** What to answer: a status, after an optional delay (longer than the service's timeout: a hang). */
    public record Answer(int status, Duration delay) {
        public static Answer ok() {
            return new Answer(200, Duration.ZERO);
        }

        public static Answer status(int status) {
            return new Answer(status, Duration.ZERO);
        }
    }

    /** The n-th time (1-based) this event id arrives. */
    public record Arrival(JsonNode event, int attempt) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<Received> received = new ArrayList<>();
    private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private volatile String secret;
    private volatile Function<Arrival, Answer> behaviour = a -> Answer.ok();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String signature = exchange.getRequestHeaders().getFirst("Imagina-Signature");
                JsonNode event = Api.JSON.readTree(body);
                String id = event.path("id").asText();
                int attempt = arrivals.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                Answer answer = behaviour.apply(new Arrival(event, attempt));
                // Recorded as it arrives, with the answer it is going to get.
                synchronized (received) {
                    received.add(new Received(id, event.path("type").asText(), event.path("accountId").asText(),
                            event.path("sequence").asLong(), event, body, signature, verify(signature, body, secret),
                            answer.status(), Instant.now()));
                }
                if (!answer.delay().isZero()) {
                    try {
                        Thread.sleep(answer.delay().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                exchange.sendResponseHeaders(answer.status(), -1);
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The endpoint's signing secret, as the service answered it at registration. */
    public void secret(String secret) {
        this.secret = secret;
    }

    public void behaviour(Function<Arrival, Answer> behaviour) {
        this.behaviour = behaviour;
    }

    public List<Received> all() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Requests about one account, as they arrived. */
    public List<Received> of(String accountId) {
        return all().stream().filter(r -> r.accountId().equals(accountId)).toList();
    }

    /** The events of an account answered 2xx, first arrival of each id, in arrival order. */
    public List<Received> deliveredOf(String accountId) {
        Map<String, Received> first = new LinkedHashMap<>();
        for (Received r : of(accountId)) {
            if (r.answered() >= 200 && r.answered() < 300) first.putIfAbsent(r.eventId(), r);
        }
        return new ArrayList<>(first.values());
    }

    public List<String> typesOf(String accountId) {
        return deliveredOf(accountId).stream().map(Received::type).collect(Collectors.toList());
    }

    /**
     * The README's check: {@code t} within 5 minutes, and v1 equal (constant time) to
     * HMAC-SHA256(secret, t + "." + body) in lowercase hex.
     */
    public static boolean verify(String header, String body, String secret) {
        if (header == null || secret == null) return false;
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) return false;
            if (kv[0].equals("t")) t = kv[1];
            if (kv[0].equals("v1")) v1 = kv[1];
        }
        if (t == null || v1 == null) return false;
        long ts;
        try {
            ts = Long.parseLong(t);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - ts) > 300) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; true when it held. */
    public static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
