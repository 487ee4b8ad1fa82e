package com.imagina.credits.proof;

import com.imagina.credits.support.Api;
import com.imagina.credits.support.ApiTest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One request of the bad-input fuzz: an endpoint's valid request with some of its parts broken —
 * the body ({@link BadInputs}), the token, the content type, the accepted type, the method, the
 * query parameters, the idempotency and signature headers — or several at once.
 */
final class FuzzRequest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String method;
    private final String path;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final StringBuilder how = new StringBuilder();
    /** The token can never be good for this call: a 2xx would mean the service let an outsider in. */
    private boolean mustBeRefused;
    /** The body can never be accepted (a NUL, a duplicate key, past the size limit): a 2xx is a bug. */
    private boolean mustFailBody;

    private FuzzRequest(String method, String path, byte[] body) {
        this.method = method;
        this.path = path;
        this.body = body;
    }

    static FuzzRequest of(String method, String path, String validBody, String validToken, List<String> params,
            Api api, Random r) {
        String text = validBody;
        String bodyHow = "valid body";
        if (validBody != null && r.nextInt(4) > 0) {
            BadInputs.Body b = BadInputs.mutate(BadInputs.json(validBody), r);
            text = b.text();
            bodyHow = b.how();
        }
        byte[] bytes = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        if (bytes != null && r.nextInt(40) == 0) {
            bytes = new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '{', (byte) 0xA0, '}'};
            bodyHow = "invalid UTF-8";
        }
        String m = method;
        if (r.nextInt(25) == 0) m = List.of("DELETE", "PATCH", "PUT", "POST", "GET", "OPTIONS").get(r.nextInt(6));
        String query = query(params, r);
        FuzzRequest req = new FuzzRequest(m, path + query, "GET".equals(m) && r.nextBoolean() ? null : bytes);
        req.how.append(bodyHow);
        // (An endpoint that takes no body ignores one, and so does another method on the same path: only a
        // body the endpoint reads must be refused.)
        req.mustFailBody = req.body != null && m.equals(method) && ((!bodyHow.contains("whole body")
                && (bodyHow.startsWith("NUL") || bodyHow.startsWith("duplicate key"))) || bodyHow.equals("oversized"));
        String token = validToken;
        if (r.nextInt(5) == 0) {
            token = badToken(api, r, req);
            String kind = req.how.substring(req.how.lastIndexOf("token ") + 6);
            boolean open = path.startsWith("/api/v1/packs") || path.startsWith("/api/v1/stripe/webhook");
            boolean invalid = List.of("none", "garbage", "bearer-empty", "basic", "expired", "alg-none", "wrong-secret",
                    "no-sub", "not-yet", "hs512", "no-exp", "roles-string", "roles-mixed", "roles-object", "exp-string")
                    .contains(kind);
            boolean playerOnPrivileged = (kind.equals("player") || kind.equals("other-player"))
                    && (path.startsWith("/api/v1/admin/") || (m.equals("POST") && path.startsWith("/api/v1/turns"))
                    || (m.equals("PUT") && path.startsWith("/api/v1/worlds/")));
            req.mustBeRefused = !open && (invalid || playerOnPrivileged);
        }
        if (token != null) req.headers.put("Authorization", token.startsWith("Basic ") || token.startsWith("Bearer")
                ? token : "Bearer " + token);
        if (req.body != null) {
            String type = "application/json";
            if (r.nextInt(7) == 0) {
                type = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json; charset=bogus", "application/json;charset=UTF-16",
                        "application/*", "*/*", "json", "application/problem+json", "text/csv").get(r.nextInt(11));
                req.how.append(", content-type ").append(type);
            }
            req.headers.put("Content-Type", type);
        }
        if (r.nextInt(10) == 0) {
            String accept = List.of("text/html", "application/xml", "image/png", "*/*", "application/problem+json",
                    "garbage", "text/csv", "application/json;q=0").get(r.nextInt(8));
            req.headers.put("Accept", accept);
            req.how.append(", accept ").append(accept);
        }
        if (r.nextInt(10) == 0) {
            req.headers.put("Idempotency-Key", List.of("", " ", "x".repeat(4_000), "%00", "k-" + r.nextInt(3)).get(r.nextInt(5)));
            req.how.append(", idempotency-key");
        }
        if (path.startsWith("/api/v1/stripe/webhook") && r.nextInt(3) > 0) {
            long t = Instant.now().getEpochSecond() - (r.nextBoolean() ? 0 : 3_600);
            req.headers.put("Stripe-Signature", List.of("garbage", "t=" + t + ",v1=" + "ab".repeat(32), "t=abc,v1=zz",
                    "v1=", "t=" + t, "t=" + t + ",v1=" + "0".repeat(64) + ",v0=1").get(r.nextInt(6)));
            req.how.append(", stripe-signature");
        }
        if (!query.isEmpty()) req.how.append(", query");
        return req;
    }

    private static String query(List<String> params, Random r) {
        StringBuilder q = new StringBuilder();
        for (String p : params) {
            if (r.nextBoolean()) continue;
            String v = List.of("1", "50", "200", "201", "0", "-1", "abc", "1e30", "99999999999999999999", "", "1.5",
                    "turn", "purchase", "TURN", "free_turn", "x".repeat(3_000), "😀", "%", "null", "me",
                    "eyJpZCI6MX0", "MTIz", "-9223372036854775808", "fz-w-1").get(r.nextInt(24));
            q.append(q.isEmpty() ? "?" : "&").append(p).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            if (r.nextInt(10) == 0) q.append('&').append(p).append("=2"); // the parameter twice
        }
        return q.toString();
    }

    private static String badToken(Api api, Random r, FuzzRequest req) {
        String secret = ApiTest.SECRET;
        long now = Instant.now().getEpochSecond();
        String[] kinds = {"none", "garbage", "bearer-empty", "basic", "expired", "alg-none", "wrong-secret",
                "other-player", "player", "engine", "roles-string", "unknown-role", "no-sub", "huge", "not-yet",
                "hs512", "no-exp", "sub-number", "roles-mixed", "roles-object", "exp-string"};
        String kind = kinds[r.nextInt(kinds.length)];
        req.how.append(", token ").append(kind);
        String roles = "[\"player\"]";
        return switch (kind) {
            case "none" -> null;
            case "garbage" -> "not.a.jwt";
            case "bearer-empty" -> "Bearer";
            case "basic" -> "Basic YWRtaW46YWRtaW4=";
            case "expired" -> jwt("HS256", "{\"sub\":\"a\",\"roles\":[\"admin\"],\"exp\":" + (now - 60) + "}", secret);
            case "alg-none" -> b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"a\",\"roles\":[\"admin\"],\"exp\":"
                    + (now + 600) + "}") + ".";
            case "wrong-secret" -> jwt("HS256", "{\"sub\":\"a\",\"roles\":[\"admin\"],\"exp\":" + (now + 600) + "}",
                    "another-secret-of-enough-length-000000");
            case "other-player" -> api.player("fz-someone-else");
            case "player" -> api.player("fz-player");
            case "engine" -> api.engine();
            case "roles-string" -> jwt("HS256", "{\"sub\":\"a\",\"roles\":\"admin\",\"exp\":" + (now + 600) + "}", secret);
            case "unknown-role" -> api.token("a", "superuser");
            case "no-sub" -> jwt("HS256", "{\"roles\":[\"player\",\"engine\"],\"exp\":" + (now + 600) + "}", secret);
            case "huge" -> jwt("HS256", "{\"sub\":\"" + "a".repeat(5_000) + "\",\"roles\":" + roles + ",\"exp\":"
                    + (now + 600) + "}", secret);
            case "not-yet" -> jwt("HS256", "{\"sub\":\"a\",\"roles\":[\"admin\"],\"nbf\":" + (now + 3_600) + ",\"exp\":"
                    + (now + 7_200) + "}", secret);
            case "hs512" -> jwt("HS512", "{\"sub\":\"a\",\"roles\":[\"admin\"],\"exp\":" + (now + 600) + "}", secret);
            case "no-exp" -> jwt("HS256", "{\"sub\":\"fz-noexp\",\"roles\":" + roles + "}", secret);
            case "roles-mixed" -> jwt("HS256", "{\"sub\":\"a\",\"roles\":[\"admin\",7],\"exp\":" + (now + 600) + "}", secret);
            case "roles-object" -> jwt("HS256", "{\"sub\":\"a\",\"roles\":{\"admin\":true},\"exp\":" + (now + 600) + "}",
                    secret);
            case "exp-string" -> jwt("HS256", "{\"sub\":\"a\",\"roles\":[\"admin\"],\"exp\":\"tomorrow\"}", secret);
            default -> jwt("HS256", "{\"sub\":12345,\"roles\":[\"player\"],\"exp\":" + (now + 600) + "}", secret);
        };
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A JWT signed with HMAC under {@code alg} (HS256 or HS512), claims as given. */
    private static String jwt(String alg, String claims, String secret) {
        String input = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(claims);
        try {
            String mac = alg.equals("HS512") ? "HmacSHA512" : "HmacSHA256";
            Mac hmac = Mac.getInstance(mac);
            hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), mac));
            return input + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(hmac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    boolean mustFailBody() {
        return mustFailBody;
    }

    boolean mustBeRefused() {
        return mustBeRefused;
    }

    Api.Response send(Api api) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Response(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException("No answer to " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        String shown = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        if (shown.length() > 300) shown = shown.substring(0, 300) + "…(" + shown.length() + " chars)";
        String shownPath = path.length() > 200 ? path.substring(0, 200) + "…" : path;
        return method + " " + shownPath + " [" + how + "] " + shown;
    }
}
