package com.imagina.credits.payments;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Where players reach this service: {@code credits.stripe.public-base-url}, else the request's own origin. */
final class BaseUrl {
    private BaseUrl() {}

    static String of(StripeKeys keys, HttpServletRequest request) {
        String base = keys.publicBaseUrl() != null ? keys.publicBaseUrl()
                : ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
