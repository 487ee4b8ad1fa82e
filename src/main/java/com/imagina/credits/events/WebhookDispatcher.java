package com.imagina.credits.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends webhook deliveries. One poller thread claims due deliveries ({@link Deliveries#claim}), never more
 * than there are free senders, and hands them to {@code concurrency} sender threads of its own. It polls
 * every {@code poll-interval}, and at once after each delivery that succeeded (the account's next event
 * may be due now) or a claim that filled every free sender (more may be waiting), so throughput is bounded
 * by the senders and the receivers, not by the interval. Each
 * POST has a connect timeout and a whole-request timeout, so a slow or silent receiver holds one sender
 * for a bounded time and never a request thread, a database connection or another endpoint's turn.
 * Failures are retried with exponential backoff (with jitter) until {@code give-up-after}.
 */
@Component
class WebhookDispatcher {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR_LENGTH = 300;

    private final Deliveries deliveries;
    private final EventsProperties properties;
    private final ObjectMapper json;
    private final String instance = "i-" + UUID.randomUUID();
    private final HttpClient http;
    private final ScheduledExecutorService poller;
    private final ExecutorService senders;
    private final Semaphore free;
    private final Counter delivered;
    private final Counter failedAttempts;

    WebhookDispatcher(Deliveries deliveries, EventsProperties properties, ObjectMapper json, MeterRegistry meters) {
        this.delivered = Counter.builder("credits.webhooks.attempts").tag("outcome", "delivered")
                .description("Webhook delivery attempts answered 2xx").register(meters);
        this.failedAttempts = Counter.builder("credits.webhooks.attempts").tag("outcome", "failed")
                .description("Webhook delivery attempts that failed (non-2xx, connect error, timeout)").register(meters);
        this.deliveries = deliveries;
        this.properties = properties;
        this.json = json;
        this.free = new Semaphore(properties.concurrency());
        this.poller = Executors.newSingleThreadScheduledExecutor(named("webhook-poller"));
        this.senders = Executors.newFixedThreadPool(properties.concurrency(), named("webhook-sender"));
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (properties.deliveryEnabled()) {
            long every = properties.pollInterval().toMillis();
            poller.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
        senders.shutdownNow();
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("Webhook poll failed: {}", e.getMessage());
        }
    }

    /** Claims as many due deliveries as there are free senders, and starts them. */
    void poll() {
        int slots = free.drainPermits();
        if (slots == 0) {
            return;
        }
        List<Deliveries.Claimed> claimed;
        try {
            claimed = deliveries.claim(slots, properties.lease(), instance);
        } catch (RuntimeException e) {
            free.release(slots);
            throw e;
        }
        free.release(slots - claimed.size());
        boolean full = !claimed.isEmpty() && claimed.size() == slots;
        for (Deliveries.Claimed c : claimed) {
            senders.execute(() -> {
                boolean again = full;
                try {
                    again |= send(c);
                } catch (RuntimeException e) {
                    log.warn("Webhook delivery {} not recorded: {}", c.deliveryId(), e.getMessage());
                } finally {
                    free.release();
                }
                if (again) {
                    pollSoon();
                }
            });
        }
    }

    private void pollSoon() {
        try {
            poller.execute(this::pollSafely);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // stopping: the next instance to poll takes over
        }
    }

    /** The body of a delivery: {@code {"id","type","createdAt","accountId","sequence","data"}}. */
    String body(Deliveries.Claimed c) {
        try {
            ObjectNode node = json.createObjectNode();
            node.put("id", c.eventId());
            node.put("type", c.type());
            node.put("createdAt", c.createdAt().toString());
            node.put("accountId", c.accountId());
            node.put("sequence", c.sequence());
            node.set("data", json.readTree(c.dataJson()));
            return json.writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Stored event data is unreadable", e);
        }
    }

    /** Sends one delivery and records the outcome; true when it was delivered. */
    private boolean send(Deliveries.Claimed c) {
        String body = body(c);
        long t = Instant.now().getEpochSecond();
        long started = System.nanoTime();
        Integer status = null;
        String error;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(c.url()))
                    .timeout(properties.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Imagina-Credits-Webhooks/1")
                    .header(WebhookSignature.HEADER, WebhookSignature.header(c.secret(), t, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            // The whole exchange, body included, is bounded: the future is abandoned at the timeout.
            var exchange = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            HttpResponse<Void> response;
            try {
                response = exchange.get(properties.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                exchange.cancel(true);
                throw e;
            }
            status = response.statusCode();
            if (status >= 200 && status < 300) {
                deliveries.delivered(c, status, millisSince(started));
                delivered.increment();
                return true;
            }
            error = "HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false; // shutting down: the lease runs out and another sender retries
        } catch (java.util.concurrent.TimeoutException e) {
            error = "timed out";
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            error = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        failedAttempts.increment();
        deliveries.failed(c, status, truncate(error), millisSince(started), backoff(c.attempt()),
                properties.giveUpAfter());
        return false;
    }

    /** {@code retry-initial × 2^(attempt−1)}, at most {@code retry-max}, minus up to 20 % jitter. */
    Duration backoff(int attempt) {
        long initial = properties.retryInitial().toMillis();
        long max = properties.retryMax().toMillis();
        long delay = attempt >= 40 ? max : Math.min(max, initial << Math.max(0, attempt - 1));
        if (delay <= 0) delay = max;
        long jitter = delay / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(delay / 5);
        return Duration.ofMillis(delay - jitter);
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR_LENGTH ? s : s.substring(0, MAX_ERROR_LENGTH);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
