package com.imagina.credits.system.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;

/**
 * Optional rules on tokens, {@code credits.jwt.*}, beside the ones that always hold (signature, subject,
 * {@code exp}, roles as an array of strings):
 *
 * @param maxLifetime the longest a token may live, {@code exp − iat} (or {@code exp − now} without
 *        {@code iat}); unset: no maximum
 * @param issuer the {@code iss} every token must carry; unset: not checked
 * @param audience a value the token's {@code aud} must contain; unset: not checked
 */
@ConfigurationProperties("credits.jwt")
record TokenRules(Duration maxLifetime, String issuer, String audience) {

    /** Absent (no roles: the caller may do nothing role-bound) or an array of strings. */
    static boolean wellFormedRoles(Object roles) {
        return roles == null || roles instanceof Collection<?> c && c.stream().allMatch(String.class::isInstance);
    }

    List<OAuth2TokenValidator<Jwt>> validators() {
        List<OAuth2TokenValidator<Jwt>> out = new ArrayList<>();
        if (maxLifetime != null && !maxLifetime.isZero()) {
            out.add(jwt -> {
                Instant exp = jwt.getExpiresAt();
                Instant from = jwt.getIssuedAt() != null ? jwt.getIssuedAt() : Instant.now();
                return exp != null && Duration.between(from, exp).compareTo(maxLifetime) > 0
                        ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                                "The token lives longer than " + maxLifetime + ".", null))
                        : OAuth2TokenValidatorResult.success();
            });
        }
        if (issuer != null && !issuer.isBlank()) out.add(new JwtIssuerValidator(issuer));
        if (audience != null && !audience.isBlank()) {
            out.add(new JwtClaimValidator<Object>(JwtClaimNames.AUD,
                    aud -> aud instanceof Collection<?> c ? c.contains(audience) : audience.equals(aud)));
        }
        return out;
    }
}
