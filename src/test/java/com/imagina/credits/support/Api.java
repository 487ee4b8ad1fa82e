package com.imagina.credits.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.imagina.credits.system.security.TokenMinter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Real HTTP to the running service, with tokens signed the way the service verifies them. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String baseUrl;
    private final byte[] secret;

    public Api(String baseUrl, String secret) {
        this.baseUrl = baseUrl;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String token(String accountId, String... roles) {
        return TokenMinter.mint(secret, accountId, List.of(roles), Instant.now().plusSeconds(3600));
    }

    public String admin() {
        return token("admin-1", "admin");
    }

    public String engine() {
        return token("engine-1", "engine");
    }

    public String player(String accountId) {
        return token(accountId, "player");
    }

    public record Response(int status, String body, Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }

        public String contentType() {
            return headers.getOrDefault("content-type", List.of("")).get(0);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String path, String token) {
        return send(builder(path, token).GET());
    }

    public Response post(String path, String token, Object body) {
        return send(builder(path, token).POST(bodyOf(body)).header("Content-Type", "application/json"));
    }

    public Response put(String path, String token, Object body) {
        return send(builder(path, token).PUT(bodyOf(body)).header("Content-Type", "application/json"));
    }

    public Response raw(String method, String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder b = builder(path, token).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return send(b);
    }

    private HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private static HttpRequest.BodyPublisher bodyOf(Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            return HttpRequest.BodyPublishers.ofString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
