package com.imagina.credits.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.imagina.credits.support.Api;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * HTTP to a service that may be killed at any moment. A call is sent again, with the very same ids
 * and body, until a live service answers it: a lost connection, or a 502/503/504, means "no answer"
 * (the first attempt may or may not have been applied; the idempotent retry settles which). A 500 is
 * never acceptable from a service that is up: each one is recorded for the test to fail on.
 */
final class ResilientApi {
    private static final Duration CALL_DEADLINE = Duration.ofMinutes(10);

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return Api.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 500 ? body.substring(0, 500) + "…" : body);
        }
    }

    private final ServiceProcess service;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    final LongAdder calls = new LongAdder();
    final LongAdder retries = new LongAdder();
    final ConcurrentLinkedQueue<String> serverErrorsWhileUp = new ConcurrentLinkedQueue<>();
    /** Every 5xx answer, when it came ({@link System#nanoTime}) and its code: the failover test places them in time. */
    final ConcurrentLinkedQueue<ServerAnswer> serverAnswers = new ConcurrentLinkedQueue<>();

    record ServerAnswer(long nanos, int status, String what) {}

    ResilientApi(ServiceProcess service) {
        this.service = service;
    }

    Reply get(String path, String token) {
        return call("GET", path, token, null, Map::of);
    }

    Reply post(String path, String token, String json) {
        return call("POST", path, token, json, Map::of);
    }

    Reply put(String path, String token, String json) {
        return call("PUT", path, token, json, Map::of);
    }

    /** Sends until answered; {@code headers} is asked again for every attempt (a fresh signature). */
    Reply call(String method, String path, String token, String json, Supplier<Map<String, String>> headers) {
        calls.increment();
        long deadline = System.nanoTime() + CALL_DEADLINE.toNanos();
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0) retries.increment();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(method + " " + path + " got no answer within " + CALL_DEADLINE);
            }
            awaitUp();
            ServiceProcess.State before = service.state();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            if (token != null) b.header("Authorization", "Bearer " + token);
            if (json != null) b.header("Content-Type", "application/json");
            headers.get().forEach(b::header);
            HttpResponse<String> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // Killed mid-call, or down: send it again once the service is back.
                if (service.state() == ServiceProcess.State.UP) backOff(attempt);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            int status = r.statusCode();
            boolean upThroughout = before == ServiceProcess.State.UP && service.state() == ServiceProcess.State.UP;
            if (status == 500 && upThroughout) {
                serverErrorsWhileUp.add(method + " " + path + " " + json + " → " + status + " " + r.body());
            }
            if (status >= 500) {
                serverAnswers.add(new ServerAnswer(System.nanoTime(), status, method + " " + path + " → " + status + " "
                        + (r.body().length() > 300 ? r.body().substring(0, 300) : r.body())));
                backOff(attempt);
                continue;
            }
            return new Reply(status, r.body());
        }
    }

    /** A short, growing pause before sending again to a service that is up but did not answer. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(Math.min(1_000, 20L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitUp() {
        try {
            service.awaitUp(CALL_DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<String> serverErrors() {
        return List.copyOf(serverErrorsWhileUp);
    }
}
