package com.imagina.credits.system;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A mistyped page address in a browser gets an HTML page saying so, with links back, not a problem+json
 * body. Decision: that is any path outside the API ({@code /api/}, {@code /actuator/}, {@code /v3/}) asked
 * for by a client that accepts {@code text/html}; everything else keeps its problem+json 404.
 */
final class NotFoundPage {
    private static final List<String> API_PREFIXES = List.of("/api/", "/actuator", "/v3/");
    private static final byte[] HTML = read();

    private NotFoundPage() {}

    static boolean wanted(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path == null || API_PREFIXES.stream().anyMatch(path::startsWith)) return false;
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null) return false;
        try {
            return MediaType.parseMediaTypes(accept).stream().anyMatch(t -> t.getType().equals("text") && t.getSubtype().equals("html"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ResponseEntity<Object> response() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        headers.setCacheControl(CacheControl.noCache());
        headers.set("Content-Security-Policy", "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; "
                + "object-src 'none'; base-uri 'none'; form-action 'self'");
        headers.set("X-Content-Type-Options", "nosniff");
        return new ResponseEntity<>(HTML.clone(), headers, HttpStatus.NOT_FOUND);
    }

    private static byte[] read() {
        try (InputStream in = NotFoundPage.class.getClassLoader().getResourceAsStream("web/not-found.html")) {
            if (in == null) throw new IllegalStateException("missing web/not-found.html");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
