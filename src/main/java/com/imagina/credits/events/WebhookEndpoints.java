package com.imagina.credits.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The {@code webhook_endpoints} table: registered receivers, their event types and signing secrets. */
@Component
class WebhookEndpoints {
    static final int MAX_URL_LENGTH = 2048;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    WebhookEndpoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Endpoint(String id, String url, List<String> eventTypes, String secret, Instant createdAt) {}

    /**
     * Why {@code url} is no URL to deliver to, or null: absolute {@code http} or {@code https} with a host,
     * at most {@value #MAX_URL_LENGTH} characters, no user info (a password in a URL would be shown in every
     * list) and no fragment. Registering is an admin's act, so private addresses are allowed (a game server
     * on the same network is the usual receiver).
     */
    static String invalidUrl(String url) {
        if (url == null || url.isBlank()) return "url is required.";
        if (url.length() > MAX_URL_LENGTH) return "url is longer than " + MAX_URL_LENGTH + " characters.";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "url is not a valid URI.";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return "url must be http or https.";
        if (uri.getHost() == null || uri.getHost().isBlank()) return "url must name a host.";
        if (uri.getRawUserInfo() != null) return "url must not carry user info.";
        if (uri.getRawFragment() != null) return "url must not have a fragment.";
        return null;
    }

    Endpoint create(String url, List<String> eventTypes, Instant now) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String secret = "whsec_" + HexFormat.of().formatHex(bytes);
        String id = "we_" + randomHex(12);
        jdbc.sql("""
                insert into webhook_endpoints (endpoint_id, url, event_types, secret, created_at)
                values (:id, :url, string_to_array(:types, ','), :secret, :now)""")
                .param("id", id).param("url", url).param("types", String.join(",", eventTypes))
                .param("secret", secret).param("now", Timestamp.from(now)).update();
        return new Endpoint(id, url, List.copyOf(eventTypes), secret, now);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    List<Endpoint> list() {
        return jdbc.sql("""
                select endpoint_id, url, array_to_string(event_types, ',') as types, secret, created_at
                  from webhook_endpoints where deleted_at is null order by created_at, endpoint_id""")
                .query((rs, n) -> new Endpoint(rs.getString("endpoint_id"), rs.getString("url"),
                        List.of(rs.getString("types").split(",")), rs.getString("secret"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    Optional<Endpoint> find(String id) {
        return list().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** Removes the endpoint: it gets no new deliveries, and its pending ones are cancelled. */
    @Transactional
    boolean delete(String id, Instant now) {
        int removed = jdbc.sql("update webhook_endpoints set deleted_at = :now where endpoint_id = :id and deleted_at is null")
                .param("id", id).param("now", Timestamp.from(now)).update();
        if (removed == 1) {
            jdbc.sql("update webhook_deliveries set state = 'cancelled', leased_until = null "
                            + "where endpoint_id = :id and state = 'pending'")
                    .param("id", id).update();
        }
        return removed == 1;
    }
}
