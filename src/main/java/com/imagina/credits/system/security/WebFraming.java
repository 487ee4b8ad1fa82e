package com.imagina.credits.system.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code credits.web.frame-ancestors}: who may show {@code /journeys/*} in a frame, as the sources of a
 * CSP {@code frame-ancestors} directive (e.g. {@code 'self' https://play.imagina.example}). Default
 * {@code 'self'}. A value that could end the directive or the header is refused at start-up.
 */
@ConfigurationProperties("credits.web")
record WebFraming(@DefaultValue("'self'") String frameAncestors) {
    public WebFraming {
        if (frameAncestors == null || frameAncestors.isBlank() || frameAncestors.matches(".*[;,\\r\\n\\x00-\\x1f].*")) {
            throw new IllegalArgumentException("credits.web.frame-ancestors must be CSP sources separated by spaces, "
                    + "e.g. 'self' https://game.example");
        }
        frameAncestors = frameAncestors.trim();
    }

    boolean selfOnly() {
        return frameAncestors.equals("'self'");
    }
}
