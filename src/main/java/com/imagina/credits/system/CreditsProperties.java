package com.imagina.credits.system;

import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Every {@code credits.*} setting in one typed place; defaults are the contract's. */
@ConfigurationProperties("credits")
public record CreditsProperties(
        @DefaultValue Db db,
        @DefaultValue Jwt jwt,
        @DefaultValue Stripe stripe,
        @DefaultValue FreeTurns freeTurns,
        @DefaultValue RevenueShare revenueShare,
        @DefaultValue Holds holds,
        @DefaultValue Pricing pricing,
        @DefaultValue Clock clock,
        @DefaultValue Dev dev) {

    public record Db(String url, @DefaultValue("postgres") String user, String password, String schema,
            @DefaultValue("./data") String embeddedDataDir, @DefaultValue("16") int poolSize) {}

    public record Jwt(String secret) {}

    /**
     * {@code apiBase}: where stripe-java sends its requests; empty for Stripe's own API (a stub in tests).
     * {@code timeout}: the bound of one call to Stripe (connect and read each); no call to Stripe is made inside
     * a database transaction, so a slow Stripe holds a request thread, never a connection or a lock.
     */
    public record Stripe(String secretKey, String webhookSecret, @DefaultValue("") String publicBaseUrl,
            @DefaultValue("") String apiBase, @DefaultValue("20s") Duration timeout) {}

    public record FreeTurns(@DefaultValue("5") int dailyAllowance) {}

    /**
     * {@code onPromotional}: whether the part of a charge paid with promotional credits earns the world's
     * owner a share too. Off by default: promotional credits are a marketing cost with no money behind
     * them, and sharing them would turn free campaign credits into earned credits that never expire.
     */
    public record RevenueShare(@DefaultValue("20") BigDecimal percent, @DefaultValue("false") boolean onPromotional) {}

    /**
     * {@code minimumMillicredits}: no credit hold is smaller (a zero hold would fund unbounded debt);
     * {@code minimumFromEstimate}: the hold is also at least the calibrated low estimate of the model in
     * the world. {@code maxOverdraftMillicredits}: how far below zero a settle may take a balance to
     * collect an overrun (0: never; what cannot be collected is the turn's uncollected part).
     */
    public record Holds(@DefaultValue("10m") Duration ttl, @DefaultValue("1000") long minimumMillicredits,
            @DefaultValue("true") boolean minimumFromEstimate, @DefaultValue("0") long maxOverdraftMillicredits) {
        public Holds {
            if (minimumMillicredits < 1 || maxOverdraftMillicredits < 0) {
                throw new IllegalArgumentException("credits.holds.minimum-millicredits must be at least 1 and "
                        + "credits.holds.max-overdraft-millicredits at least 0");
            }
        }
    }

    public record Pricing(@DefaultValue("1000") BigDecimal creditsPerUsd) {}

    record Clock(@DefaultValue("false") boolean adjustable) {}

    /**
     * {@code signIn}: the dev sign-in page and {@code POST /dev/tokens}. {@code jwtSecretFile}: where the dev
     * profile keeps the secret it makes when {@code CREDITS_JWT_SECRET} is not set, so tokens survive restarts.
     */
    public record Dev(@DefaultValue("false") boolean signIn, @DefaultValue("./data/dev-jwt-secret") String jwtSecretFile) {}
}
