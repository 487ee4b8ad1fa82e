package com.imagina.credits.ledger;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code credits.welcome-grant.*}: promotional credits every new account receives once, when it is
 * created. Off by default ({@code amount-millicredits: 0}); {@code lifetime} unset means they never
 * expire.
 */
@ConfigurationProperties("credits.welcome-grant")
record WelcomeGrantProperties(@DefaultValue("0") long amountMillicredits, Duration lifetime) {

    public WelcomeGrantProperties {
        if (amountMillicredits < 0 || amountMillicredits > 1_000_000_000_000L) {
            throw new IllegalArgumentException("credits.welcome-grant.amount-millicredits must be 0 (off) to 10^12");
        }
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw new IllegalArgumentException("credits.welcome-grant.lifetime must be positive (or unset: never expires)");
        }
    }

    boolean enabled() {
        return amountMillicredits > 0;
    }
}
