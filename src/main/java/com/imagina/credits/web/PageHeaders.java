package com.imagina.credits.web;

import org.springframework.http.HttpHeaders;

/**
 * Headers every dashboard page carries. The pages hold a bearer token, so they load scripts, styles
 * and data from this origin only (no CDN, no inline script) and never leak their address.
 */
final class PageHeaders {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'";

    private PageHeaders() {}

    static void apply(HttpHeaders headers) {
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Content-Type-Options", "nosniff");
    }
}
